package dev.weft.sql.internal.planner;

import dev.weft.data.Dataset;
import dev.weft.sql.SqlException;
import dev.weft.sql.internal.catalog.CatalogTable;
import dev.weft.sql.internal.plan.Built;
import dev.weft.sql.internal.plan.Implementor;
import dev.weft.sql.internal.plan.WeftAggregate;
import dev.weft.sql.internal.plan.WeftJoin;
import dev.weft.sql.internal.plan.WeftProject;
import dev.weft.sql.internal.plan.WeftRel;
import dev.weft.sql.internal.rules.WeftRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepMatchOrder;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlExplain;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.RelFieldTrimmer;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.Planner;
import org.apache.calcite.tools.RelBuilder;
import org.apache.calcite.tools.ValidationException;

/**
 * Plans a SQL statement: Calcite parses, validates and converts it to relational algebra; sub-queries become
 * joins; logical rewrites run; then {@link WeftRules#CONVERSIONS} put every operator into the Weft convention,
 * whose operators build the dataset. Anything left outside the convention is a "not supported yet" error naming
 * it. Stateless; each call plans on its own.
 */
public final class SqlPlanner {
    private SqlPlanner() {
    }

    /**
     * A planned statement.
     *
     * @param logical    Calcite's logical plan after the rewrites
     * @param physical   the same in the Weft convention
     * @param fields     the statement's output: field index of {@code physical} for each output column
     * @param names      the output column names
     * @param types      the output column types
     * @param ordered    whether the output is ordered (ORDER BY at the top)
     * @param parameters the types of the {@code ?} parameters, in order
     * @param explain    whether the statement was {@code EXPLAIN PLAN FOR ...}
     */
    public record Planned(RelNode logical, RelNode physical, List<Integer> fields, List<String> names,
                          List<RelDataType> types, boolean ordered, List<RelDataType> parameters, boolean explain) {
    }

    public static Planned plan(Map<String, CatalogTable> tables, String sql) {
        if (sql == null || sql.isBlank()) {
            throw new SqlException("the SQL statement is empty");
        }
        SchemaPlus root = Frameworks.createRootSchema(false);
        SchemaPlus schema = root.add("weft", new CatalogSchema(() -> tables));
        FrameworkConfig config = Frameworks.newConfigBuilder()
                .defaultSchema(schema)
                .parserConfig(SqlParser.config().withCaseSensitive(false).withUnquotedCasing(Casing.UNCHANGED)
                        .withQuotedCasing(Casing.UNCHANGED).withConformance(SqlConformanceEnum.LENIENT))
                .sqlToRelConverterConfig(SqlToRelConverter.config().withExpand(false).withTrimUnusedFields(true))
                .typeSystem(WeftTypeSystem.INSTANCE)
                .build();
        Planner planner = Frameworks.getPlanner(config);
        try {
            SqlNode parsed = planner.parse(sql);
            boolean explain = false;
            if (parsed instanceof SqlExplain e) {
                explain = true;
                parsed = e.getExplicandum();
            }
            if (!parsed.isA(SqlKind.QUERY)) {
                throw SqlException.notSupported(parsed.getKind() + " statements (only queries: SELECT, VALUES, "
                        + "UNION, EXPLAIN PLAN FOR)");
            }
            SqlNode validated = planner.validate(parsed);
            RelRoot relRoot = planner.rel(validated);
            RelNode logical = optimize(relRoot.rel);
            RelNode physical = convert(logical);
            List<Integer> fields = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<RelDataType> types = new ArrayList<>();
            for (var f : relRoot.fields) {
                fields.add(f.getKey());
                names.add(f.getValue());
                types.add(physical.getRowType().getFieldList().get(f.getKey()).getType());
            }
            List<String> unique = SqlValidatorUtil.uniquify(names, SqlValidatorUtil.EXPR_SUGGESTER, true);
            List<RelDataType> parameters = Parameters.of(relRoot.rel);
            return new Planned(logical, physical, fields, unique, types,
                    !relRoot.collation.getFieldCollations().isEmpty(), parameters, explain);
        } catch (SqlParseException e) {
            SqlParserPos pos = e.getPos();
            throw new SqlException(shortParseMessage(e.getMessage()), pos == null ? 0 : pos.getLineNum(),
                    pos == null ? 0 : pos.getColumnNum(), e);
        } catch (ValidationException e) {
            throw validationError(e);
        } catch (org.apache.calcite.tools.RelConversionException e) {
            throw new SqlException("converting the statement failed: " + e.getMessage(), 0, 0, e);
        } finally {
            planner.close();
        }
    }

    /** The dataset of a planned statement with its parameters bound. */
    public static Dataset dataset(Planned planned, List<Object> parameters) {
        if (parameters.size() != planned.parameters().size()) {
            throw new SqlException("the statement has " + planned.parameters().size() + " parameter(s) ('?'), but "
                    + parameters.size() + " value(s) were given");
        }
        Built built;
        // A plan may be bound from several threads at once (a cached or prepared statement), and Calcite's metadata
        // query that the operators ask for sizes caches its answers in maps that are not thread-safe.
        synchronized (planned) {
            built = new Implementor(parameters).visit(planned.physical());
        }
        List<String> columns = planned.fields().stream().map(i -> built.columns().get(i)).toList();
        // A projection on top already made exactly these columns in this order.
        boolean exact = planned.physical() instanceof WeftProject && columns.equals(planned.names())
                && new HashSet<>(columns).size() == columns.size() && built.present().equals(new HashSet<>(columns));
        Dataset ds = exact ? built.dataset()
                : new Built(built.dataset(), columns, built.present()).shapedAs(planned.names());
        // Datasets passes blocks on in order only under a limit: an ordered result keeps its order through one.
        return planned.ordered() ? ds.limit(Long.MAX_VALUE) : ds;
    }

    /** Calcite's logical plan, the plan in the Weft convention and the dataset's physical plan. */
    public static String explain(Planned planned, List<Object> parameters) {
        return "== Calcite logical plan ==\n" + RelOptUtil.toString(planned.logical())
                + "== Weft convention ==\n" + RelOptUtil.toString(planned.physical())
                + "== Weft physical plan ==\n" + dataset(planned, parameters).explain();
    }

    /** A logical plan (as Calcite's JDBC machinery makes it) rewritten and put into the Weft convention. */
    public static RelNode toWeft(RelNode logical) {
        return convert(optimize(logical));
    }

    private static RelNode convert(RelNode logical) {
        RelNode physical = hep(WeftRules.CONVERSIONS, logical, HepMatchOrder.BOTTOM_UP);
        check(physical);
        checkTypes(physical, true);
        return physical;
    }

    /**
     * Fails naming the first column of a type datasets cannot carry through its operators yet (DATE, TIMESTAMP,
     * DECIMAL, binary): a scan may have such columns as long as nothing above it keeps them.
     */
    private static void checkTypes(RelNode rel, boolean root) {
        for (RelNode input : rel.getInputs()) {
            checkTypes(input, false);
        }
        if (rel instanceof dev.weft.sql.internal.plan.WeftTableScan && !root) {
            return;
        }
        for (var field : rel.getRowType().getFieldList()) {
            if (!dev.weft.sql.internal.catalog.SqlTypes.hasWeftType(field.getType())) {
                throw SqlException.notSupported(field.getType().getSqlTypeName() + " columns in results and between "
                        + "operators (column '" + field.getName() + "'); datasets cannot select or compute "
                        + field.getType().getSqlTypeName() + " values yet");
            }
        }
    }

    private static RelNode optimize(RelNode rel) {
        RelNode r = hep(WeftRules.SUB_QUERIES, rel, HepMatchOrder.ARBITRARY);
        RelBuilder builder = RelFactories.LOGICAL_BUILDER.create(r.getCluster(), null);
        r = RelDecorrelator.decorrelateQuery(r, builder);
        r = hep(WeftRules.LOGICAL, r, HepMatchOrder.ARBITRARY);
        // Inner joins in the order the statement names their tables, but never a cross product where a condition
        // connects a later table: then the join keys and filters move to their new places.
        r = JoinOrder.connected(r, builder);
        r = hep(WeftRules.LOGICAL, r, HepMatchOrder.ARBITRARY);
        r = new RelFieldTrimmer(null, builder).trim(r);
        // After trimming, so that a rewritten semi/anti join matches back on the left columns used, not all.
        r = hep(WeftRules.RESIDUAL_JOINS, r, HepMatchOrder.ARBITRARY);
        // Trimming puts projections under filters; filters go back down so that they reach the reads.
        r = hep(List.of(CoreRules.FILTER_PROJECT_TRANSPOSE, CoreRules.FILTER_MERGE, CoreRules.PROJECT_MERGE,
                CoreRules.PROJECT_REMOVE), r, HepMatchOrder.ARBITRARY);
        return r;
    }

    private static RelNode hep(List<RelOptRule> rules, RelNode rel, HepMatchOrder order) {
        HepProgram program = HepProgram.builder().addMatchOrder(order).addRuleCollection(rules).build();
        HepPlanner planner = new HepPlanner(program);
        planner.setRoot(rel);
        return planner.findBestExp();
    }

    /** Fails naming the first operator (depth first) that is not in the Weft convention, and why. */
    private static void check(RelNode rel) {
        for (RelNode input : rel.getInputs()) {
            check(input);
        }
        if (!(rel instanceof WeftRel)) {
            throw SqlException.notSupported(reason(rel));
        }
    }

    private static String reason(RelNode rel) {
        return switch (rel) {
            case Aggregate a when WeftAggregate.unsupported(a) != null -> WeftAggregate.unsupported(a);
            case Join j when WeftJoin.unsupported(j) != null -> WeftJoin.unsupported(j);
            case Project p when RexOver.containsOver(p.getProjects(), null) -> "window functions (OVER ...)";
            case Window w when dev.weft.sql.internal.plan.WeftWindow.unsupported(w) != null ->
                    dev.weft.sql.internal.plan.WeftWindow.unsupported(w);
            case Window w -> "window functions (OVER ...)";
            case Correlate c -> "a correlated sub-query that could not be turned into a join";
            case Intersect i -> "INTERSECT";
            case Minus m -> "EXCEPT / MINUS";
            case TableModify m -> "INSERT, UPDATE, DELETE and MERGE";
            default -> rel.getRelTypeName() + ": " + RelOptUtil.toString(rel).strip();
        };
    }

    private static SqlException validationError(ValidationException e) {
        Throwable t = e;
        while (t != null && !(t instanceof CalciteContextException)) {
            t = t.getCause();
        }
        if (t instanceof CalciteContextException c) {
            return new SqlException(c.getMessage(), c.getPosLine(), c.getPosColumn(), e);
        }
        return new SqlException(e.getMessage(), 0, 0, e);
    }

    /** Calcite's parse error with its list of expected tokens cut to a few. */
    private static String shortParseMessage(String message) {
        String[] lines = message.split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length && i < 8; i++) {
            b.append(i == 0 ? "" : "\n").append(lines[i]);
        }
        if (lines.length > 8) {
            b.append("\n    ...");
        }
        return b.toString();
    }
}

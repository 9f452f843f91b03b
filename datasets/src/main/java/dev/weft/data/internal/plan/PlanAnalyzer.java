package dev.weft.data.internal.plan;

import dev.weft.data.AnalysisException;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.HashAggregator;
import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.SortKey;
import dev.weft.data.internal.ops.MapGroups;
import dev.weft.data.internal.ops.RandomizeBlockOrder;
import dev.weft.data.internal.ops.RepartitionBlocks;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import dev.weft.data.internal.expr.ExprTypes;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Checks a logical plan against the schemas flowing through it, as Spark's analyzer does: every column an
 * operation names must exist in its input, and every expression must be applicable to its operands' types. Run
 * when an operation is added to a plan, where the input's schema is known then; where it is not (after a row
 * function, a {@code mapBatches} or a per-group function), the executor's stages run the same checks on the
 * first batch that reaches them. Failures are {@link AnalysisException}s naming the operation, the column and the
 * columns that exist. Stateless.
 */
public final class PlanAnalyzer {
    private PlanAnalyzer() {
    }

    /**
     * The schema of {@code op}'s output, or {@code null} when it is not known before execution; checks {@code op}
     * and everything below it whose input schema is known.
     */
    public static Schema analyze(LogicalOp op) {
        return switch (op) {
            case LogicalOp.Read r -> sourceSchema(r);
            case LogicalOp.InputBlocks b -> null;
            case LogicalOp.Filter f -> {
                Schema in = analyze(f.input());
                if (in != null) {
                    checkFilter(f.predicate(), in);
                }
                yield in;
            }
            case LogicalOp.RowOp r -> {
                Schema in = analyze(r.input());
                yield r.kind() == RowStage.Kind.FILTER ? in : null;
            }
            case LogicalOp.MapBatchesOp m -> {
                analyze(m.input());
                yield null;
            }
            case LogicalOp.Project p -> {
                Schema in = analyze(p.input());
                yield in == null ? null : checkProjection(p.projection(), in);
            }
            case LogicalOp.Limit l -> analyze(l.input());
            case LogicalOp.Sample s -> analyze(s.input());
            case LogicalOp.PartialAggregate a -> null;
            case LogicalOp.BroadcastJoin b -> null;
            case LogicalOp.AllToAll a -> exchange(a);
            case LogicalOp.Barrier b -> {
                Schema in = analyze(b.input());
                b.transform().sideInputs().forEach(PlanAnalyzer::analyze);
                if (in != null && b.transform() instanceof MapGroups g) {
                    g.keys().forEach(k -> require("groupBy" + g.keys() + ".mapGroups(" + g.name() + ")", k, in));
                }
                boolean keepsRows = b.transform() instanceof RandomizeBlockOrder
                        || b.transform() instanceof RepartitionBlocks;
                yield keepsRows ? in : null;
            }
            case LogicalOp.Write w -> analyze(w.input());
        };
    }

    private static Schema sourceSchema(LogicalOp.Read r) {
        try {
            return r.source().schema().orElse(null);
        } catch (RuntimeException e) {
            // An unreadable input is the read's error, reported when it runs (where ignoreCorruptFiles applies).
            return null;
        }
    }

    private static Schema exchange(LogicalOp.AllToAll a) {
        Schema in = analyze(a.input());
        return switch (a.exchange()) {
            case Exchange.GroupBy g -> in == null ? null : checkGroupBy(g.keys(), g.aggregates(), in);
            case Exchange.Sort s -> {
                if (in != null) {
                    checkSort(s.keys(), in);
                }
                yield in;
            }
            case Exchange.RandomShuffle s -> in;
            case Exchange.Union u -> {
                u.others().forEach(o -> analyze((LogicalOp) o));
                yield in;
            }
            case Exchange.Join j -> {
                Schema right = analyze((LogicalOp) j.right());
                yield checkJoin(j.spec(), in, right);
            }
        };
    }

    // ---- the checks (also run by the executor's stages on the first batch when the schema was unknown) ---------

    /** Fails unless {@code predicate} reads existing columns and is boolean. */
    public static void checkFilter(Expr predicate, Schema in) {
        String operation = "filter(" + predicate + ")";
        DataType t = type(operation, predicate, in);
        if (t != null && t != DataType.BOOLEAN) {
            throw new AnalysisException(operation, null, names(in), "the predicate is of type " + t + ", not BOOLEAN");
        }
    }

    /** Checks a projection and returns its output schema. */
    public static Schema checkProjection(Projection p, Schema in) {
        switch (p) {
            case Projection.Select s -> {
                String operation = "select" + s.columns();
                s.columns().forEach(c -> type(operation, c.expr(), in));
            }
            case Projection.WithColumn w -> type("withColumn(" + w.name() + " = " + w.expr() + ")", w.expr(), in);
            case Projection.Drop d -> d.names().forEach(n -> require("drop" + d.names(), n, in));
            case Projection.Rename r -> r.names().keySet().forEach(n -> require("rename" + r.names(), n, in));
        }
        try {
            return p.outputSchema(in);
        } catch (IllegalArgumentException e) {
            return null; // a column of a type the expression types do not name: known once it runs
        }
    }

    /** Checks the keys and aggregates of a group-by and returns its output schema. */
    public static Schema checkGroupBy(List<String> keys, List<Aggregate> aggregates, Schema in) {
        String operation = keys.isEmpty() ? "aggregate(" + aggregateNames(aggregates) + ")"
                : "groupBy" + keys + ".aggregate(" + aggregateNames(aggregates) + ")";
        keys.forEach(k -> require(operation, k, in));
        for (Aggregate a : aggregates) {
            if (a.column() != null) {
                require(operation, a.column(), in);
            }
        }
        HashAggregator aggregator;
        try {
            aggregator = new HashAggregator(in, keys, aggregates, 16);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(operation, null, names(in), e.getMessage());
        }
        try (BufferAllocator allocator = DataAllocators.child("plan-analysis");
             VectorSchemaRoot empty = aggregator.result(allocator)) {
            return empty.getSchema();
        }
    }

    /** Fails unless every sort key is a column of {@code in}. */
    public static void checkSort(List<SortKey> keys, Schema in) {
        String operation = "sort" + keys.stream().map(k -> k.column() + (k.descending() ? " desc" : ""))
                .collect(Collectors.toList());
        keys.forEach(k -> require(operation, k.column(), in));
    }

    /** Checks the keys of a join on the sides whose schema is known; the output schema when both are. */
    public static Schema checkJoin(JoinSpec spec, Schema left, Schema right) {
        String operation = "join(left " + spec.leftKeys() + " = right " + spec.rightKeys() + ", " + spec.type() + ")";
        if (left != null) {
            spec.leftKeys().forEach(k -> require(operation + " left key", k, left));
        }
        if (right != null) {
            spec.rightKeys().forEach(k -> require(operation + " right key", k, right));
        }
        if (left == null || right == null) {
            return null;
        }
        try {
            return HashJoin.outputSchema(spec, left, right);
        } catch (IllegalArgumentException e) {
            throw new AnalysisException(operation, null, names(left), e.getMessage() + " (right side has columns "
                    + names(right) + ")");
        }
    }

    // ---- expression types ------------------------------------------------------------------------------------

    /**
     * The type of {@code e} over {@code in}, null for the untyped null literal or a column of a type expressions
     * only pass through; fails on a missing column or an operand of the wrong type.
     */
    private static DataType type(String operation, Expr e, Schema in) {
        try {
            ArrowType t = ExprTypes.arrowType(e, in);
            return t == null ? null : DataType.of(t);
        } catch (ExprTypes.TypeError error) {
            throw new AnalysisException(operation, error.column() != null ? error.column() : firstColumn(e), names(in),
                    error.getMessage());
        } catch (IllegalArgumentException passThrough) {
            return null; // a column of a type expressions pass through but do not compute on (binary, lists, ...)
        }
    }

    private static String firstColumn(Expr e) {
        return e.columns().stream().findFirst().orElse(null);
    }

    private static Field require(String operation, String column, Schema in) {
        for (Field f : in.getFields()) {
            if (f.getName().equals(column)) {
                return f;
            }
        }
        throw new AnalysisException(operation, column, names(in), "column '" + column + "' does not exist");
    }

    private static List<String> names(Schema s) {
        return s.getFields().stream().map(Field::getName).toList();
    }

    private static String aggregateNames(List<Aggregate> aggregates) {
        return aggregates.stream().map(Aggregate::name).collect(Collectors.joining(", "));
    }
}

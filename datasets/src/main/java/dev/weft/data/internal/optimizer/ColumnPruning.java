package dev.weft.data.internal.optimizer;

import dev.weft.data.SupportsProjectionPushdown;
import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.SortKey;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.Projection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Prunes columns nobody above uses (Spark's {@code ColumnPruning}): walking the plan from the root down with the
 * set of columns the operators above need, it drops computed columns ({@code withColumn}, select outputs) that no
 * one reads and makes a read yield only the needed columns, for sources that {@link SupportsProjectionPushdown}. A
 * group-by needs only its keys and its aggregates' inputs, a filter adds its predicate's columns, and an opaque
 * function (a row lambda, {@code mapBatches}) or the root needs every column. A read whose schema is unknown, or
 * that lacks a needed column (the error is left to the operator that names it), is left as it is.
 */
public final class ColumnPruning {
    private ColumnPruning() {
    }

    /** {@code root} with the columns nobody uses pruned; the root's own output is unchanged. */
    public static LogicalOp prune(LogicalOp root) {
        return prune(root, null);
    }

    /** @param required the columns the operators above read from {@code op}'s output; null for all */
    private static LogicalOp prune(LogicalOp op, Set<String> required) {
        return switch (op) {
            case LogicalOp.Read r -> pruneRead(r, required);
            case LogicalOp.InputBlocks b -> b;
            case LogicalOp.Filter f -> f.withInput(prune(f.input(), union(required, f.predicate().columns())));
            case LogicalOp.Project p -> pruneProject(p, required);
            case LogicalOp.RowOp r -> r.withInput(prune(r.input(), null));
            case LogicalOp.MapBatchesOp m -> m.withInput(prune(m.input(), null));
            case LogicalOp.Limit l -> l.withInput(prune(l.input(), required));
            case LogicalOp.Sample s -> s.withInput(prune(s.input(), required));
            case LogicalOp.PartialAggregate a -> a.withInput(prune(a.input(), aggregateInputs(a.keys(), a.aggregates())));
            case LogicalOp.AllToAll a -> a.withInput(prune(a.input(), switch (a.exchange()) {
                case Exchange.GroupBy g -> aggregateInputs(g.keys(), g.aggregates());
                case Exchange.Sort s -> union(required, s.keys().stream().map(SortKey::column).toList());
                default -> null;
            }));
            case LogicalOp.Barrier b -> b.withInput(prune(b.input(), null));
            case LogicalOp.BroadcastJoin b -> b.withInput(prune(b.input(), null));
            case LogicalOp.Write w -> w.withInput(prune(w.input(), null));
        };
    }

    private static Set<String> aggregateInputs(List<String> keys, List<Aggregate> aggregates) {
        Set<String> needed = new LinkedHashSet<>(keys);
        aggregates.stream().filter(a -> a.column() != null).forEach(a -> needed.add(a.column()));
        return needed;
    }

    private static Set<String> union(Set<String> a, Collection<String> b) {
        if (a == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    private static LogicalOp pruneProject(LogicalOp.Project p, Set<String> required) {
        switch (p.projection()) {
            case Projection.Select sel -> {
                List<Projection.NamedExpr> keep = sel.columns();
                if (required != null) {
                    keep = sel.columns().stream().filter(c -> required.contains(c.name())).toList();
                    if (keep.isEmpty()) {
                        keep = sel.columns().subList(0, 1); // a batch keeps its row count through one column
                    }
                }
                Set<String> in = new LinkedHashSet<>();
                keep.forEach(c -> in.addAll(c.expr().columns()));
                LogicalOp input = prune(p.input(), in);
                return keep.size() == sel.columns().size() ? p.withInput(input)
                        : new LogicalOp.Project(input, new Projection.Select(keep));
            }
            case Projection.WithColumn w -> {
                if (required == null) {
                    return p.withInput(prune(p.input(), null));
                }
                if (!required.contains(w.name())) {
                    return prune(p.input(), required); // computes a column nobody reads
                }
                Set<String> in = new LinkedHashSet<>(required);
                in.remove(w.name());
                in.addAll(w.expr().columns());
                return p.withInput(prune(p.input(), in));
            }
            case Projection.Drop d -> {
                // the dropped columns stay: dropping a column that does not exist is an error
                return p.withInput(prune(p.input(), union(required, d.names())));
            }
            case Projection.Rename r -> {
                if (required == null) {
                    return p.withInput(prune(p.input(), null));
                }
                Map<String, String> back = new LinkedHashMap<>();
                r.names().forEach((from, to) -> back.put(to, from));
                Set<String> in = new LinkedHashSet<>(r.names().keySet());
                for (String c : required) {
                    in.add(back.getOrDefault(c, r.names().containsKey(c) ? null : c));
                }
                in.remove(null);
                return p.withInput(prune(p.input(), in));
            }
        }
    }

    private static LogicalOp pruneRead(LogicalOp.Read read, Set<String> required) {
        if (required == null || !(read.source() instanceof SupportsProjectionPushdown source)
                || read.source().schema().isEmpty()) {
            return read;
        }
        Schema schema = read.source().schema().get();
        List<String> available = read.pushedColumns() != null ? read.pushedColumns()
                : schema.getFields().stream().map(Field::getName).toList();
        if (!available.containsAll(required)) {
            return read;
        }
        List<String> columns = new ArrayList<>();
        for (String name : available) {
            if (required.contains(name)) {
                columns.add(name);
            }
        }
        if (columns.isEmpty()) {
            columns.add(narrowest(schema, available));
        }
        if (columns.size() == available.size()) {
            return read;
        }
        return new LogicalOp.Read(source.withColumns(columns), read.pushedFilters(), columns, read.pushedLimit());
    }

    /** The column cheapest to read when only the row count matters: the first fixed-width one, else the first. */
    private static String narrowest(Schema schema, List<String> available) {
        for (String name : available) {
            Field f = schema.getFields().stream().filter(x -> x.getName().equals(name)).findFirst().orElse(null);
            ArrowType t = f == null ? null : f.getType();
            if (t instanceof ArrowType.Int || t instanceof ArrowType.FloatingPoint || t instanceof ArrowType.Bool
                    || t instanceof ArrowType.Date || t instanceof ArrowType.Timestamp) {
                return name;
            }
        }
        return available.getFirst();
    }
}

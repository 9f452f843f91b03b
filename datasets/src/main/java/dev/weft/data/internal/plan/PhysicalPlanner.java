package dev.weft.data.internal.plan;

import dev.weft.data.MapBatches;
import dev.weft.data.internal.exec.BroadcastJoinStage;
import dev.weft.data.internal.exec.FilterStage;
import dev.weft.data.internal.exec.MapBatchesStage;
import dev.weft.data.internal.exec.PartialAggregateStage;
import dev.weft.data.internal.exec.ProjectStage;
import dev.weft.data.internal.exec.RowStage;
import dev.weft.data.internal.exec.SampleStage;
import dev.weft.data.internal.exec.Stage;
import dev.weft.data.internal.optimizer.ColumnPruning;
import dev.weft.data.internal.optimizer.DatasetRules;
import dev.weft.data.internal.optimizer.LogicalOptimizer;
import dev.weft.data.internal.optimizer.MapFuseRule;
import java.util.ArrayList;
import java.util.List;

/** Logical plan → optimized logical plan → physical operators (source first) → fused physical plan. */
public final class PhysicalPlanner {
    private PhysicalPlanner() {
    }

    public static List<PhysicalOp> plan(LogicalOp logical) {
        return plan(logical, DatasetRules.MAP_FUSE);
    }

    public static List<PhysicalOp> plan(LogicalOp logical, MapFuseRule fuse) {
        LogicalOp optimized = LogicalOptimizer.optimize(ColumnPruning.prune(logical), DatasetRules.LOGICAL);
        List<LogicalOp> chain = new ArrayList<>();
        for (LogicalOp op = optimized; op != null; op = op.input()) {
            chain.addFirst(op);
        }
        List<PhysicalOp> ops = new ArrayList<>();
        int udfIndex = 0;
        for (LogicalOp op : chain) {
            PhysicalOp p = switch (op) {
                case LogicalOp.Read r -> new PhysicalOp.ReadOp(r.source(), List.of(), null);
                case LogicalOp.InputBlocks b -> new PhysicalOp.InputOp(b.blocks());
                case LogicalOp.Filter f -> taskMap(new FilterStage(f.predicate()));
                case LogicalOp.Project p2 -> taskMap(new ProjectStage(p2.projection()));
                case LogicalOp.RowOp r -> taskMap(new RowStage(r.kind(), r.function()));
                case LogicalOp.Sample s -> taskMap(new SampleStage(s.fraction(), s.seed()));
                case LogicalOp.PartialAggregate a -> taskMap(new PartialAggregateStage(a.keys(), a.aggregates(),
                        PartialAggregateStage.MAX_GROUPS));
                case LogicalOp.BroadcastJoin b -> taskMap(new BroadcastJoinStage(b.right(), b.spec(),
                        b.rightSchemaJson()));
                case LogicalOp.MapBatchesOp m -> new PhysicalOp.MapOp(List.of(new MapBatchesStage(m.name(), m.function(),
                        m.factory(), m.options().batchSize(), udfIndex++)), m.options(), null);
                case LogicalOp.Limit l -> new PhysicalOp.LimitOp(l.limit());
                case LogicalOp.AllToAll a -> new PhysicalOp.AllToAllOp(a.exchange());
                case LogicalOp.Barrier b -> new PhysicalOp.BarrierOp(b.transform());
                case LogicalOp.Write w -> new PhysicalOp.WriteOp(w.sink());
            };
            ops.add(p);
        }
        return fuse.apply(ops);
    }

    private static PhysicalOp taskMap(Stage stage) {
        return new PhysicalOp.MapOp(List.of(stage), MapBatches.tasks(), null);
    }

    /** The physical plan as text, root first, each input indented two more spaces (Calcite's layout). */
    public static String explain(List<PhysicalOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (int i = ops.size() - 1, depth = 0; i >= 0; i--, depth++) {
            sb.append("  ".repeat(depth)).append(ops.get(i).explain()).append('\n');
        }
        return sb.toString();
    }
}

package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.plan.PlanAnalyzer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The probe side of a broadcast hash join run inside the tasks of the operator below it: on its first batch a task
 * builds the hash table of the right side from its stored blocks, then joins each of its batches against it as they
 * come, and the joined batches go on to the next stage of the same task. The join type must never output
 * unmatched right rows (the build side is whole in every task, so only the left side's rows are split between
 * tasks).
 *
 * @param right           the right side's blocks, read (and owned) by the execution that planned this stage
 * @param spec            the join, built on the right
 * @param rightSchemaJson the right side's schema (its blocks may be none)
 */
public record BroadcastJoinStage(List<BlockRef> right, JoinSpec spec, String rightSchemaJson) implements Stage {
    /** Rows of one output batch at most (a key repeated on the right multiplies rows). */
    private static final int MAX_OUTPUT_ROWS = 1 << 18;

    public BroadcastJoinStage {
        right = List.copyOf(right);
        if (spec.buildLeft()) {
            throw new IllegalArgumentException("a broadcast join builds on the right side");
        }
    }

    @Override
    public String explain() {
        return "BroadcastJoin[" + spec.type() + ", left=" + spec.leftKeys() + ", right=" + spec.rightKeys() + ", "
                + right.size() + (right.size() == 1 ? " block" : " blocks") + "]";
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        HashJoin[] join = new HashJoin[1];
        ArrayDeque<VectorSchemaRoot> ready = new ArrayDeque<>();
        return Iterators.pull(() -> {
            while (ready.isEmpty() && input.hasNext()) {
                try (VectorSchemaRoot in = input.next()) {
                    if (join[0] == null) {
                        // Either side's schema may only be known now (after a mapBatches): check as the plan would.
                        PlanAnalyzer.checkJoin(spec, in.getSchema(), rightSchema());
                        join[0] = build(in.getSchema(), ctx);
                    }
                    ready.addAll(join[0].probe(in, ctx.allocator()));
                }
            }
            return ready.poll();
        }, () -> {
            ready.forEach(VectorSchemaRoot::close);
            ready.clear();
            if (join[0] != null) {
                join[0].close();
                join[0] = null;
            }
            input.close();
        });
    }

    private HashJoin build(Schema left, StageContext ctx) {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try {
            for (BlockRef b : right) {
                batches.add(b.ref().get());
            }
            return new HashJoin(spec, left, rightSchema(), batches, MAX_OUTPUT_ROWS, ctx.allocator());
        } finally {
            batches.forEach(VectorSchemaRoot::close);
        }
    }

    private Schema rightSchema() {
        try {
            return Schema.fromJSON(rightSchemaJson);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("broadcast join: unreadable right-side schema", e);
        }
    }
}

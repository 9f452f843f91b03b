package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.plan.PlanAnalyzer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The probe side of a broadcast hash join run inside the tasks of the operator below it: on its first batch a task
 * takes the hash table of the right side (built from its stored blocks once per JVM, {@link BroadcastTables}), then
 * joins each of its batches against it as they
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
        BroadcastTables.Lease[] table = new BroadcastTables.Lease[1];
        ArrayDeque<VectorSchemaRoot> ready = new ArrayDeque<>();
        return Iterators.pull(() -> {
            while (ready.isEmpty() && input.hasNext()) {
                try (VectorSchemaRoot in = input.next()) {
                    if (table[0] == null) {
                        // Either side's schema may only be known now (after a mapBatches): check as the plan would.
                        PlanAnalyzer.checkJoin(spec, in.getSchema(), rightSchema());
                        Schema left = in.getSchema();
                        // Built once in this JVM and shared by the stage's tasks here (probing is thread-safe for
                        // the join types a broadcast runs: none of them tracks the build side's matches).
                        table[0] = BroadcastTables.acquire(new BroadcastTables.Key(
                                right.stream().map(b -> b.ref().id()).toList(), spec, left.toJson()),
                                allocator -> build(left, allocator), ctx.allocator());
                    }
                    ready.addAll(table[0].join().probe(in, ctx.allocator()));
                }
            }
            return ready.poll();
        }, () -> {
            ready.forEach(VectorSchemaRoot::close);
            ready.clear();
            if (table[0] != null) {
                table[0].close();
                table[0] = null;
            }
            input.close();
        });
    }

    private HashJoin build(Schema left, BufferAllocator allocator) {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try {
            for (BlockRef b : right) {
                batches.add(b.ref().get());
            }
            return new HashJoin(spec, left, rightSchema(), batches, MAX_OUTPUT_ROWS, allocator);
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

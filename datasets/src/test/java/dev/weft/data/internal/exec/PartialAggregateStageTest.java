package dev.weft.data.internal.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.GroupByExchange;
import dev.weft.data.internal.kernels.HashAggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class PartialAggregateStageTest {
    private static final List<String> KEYS = List.of("k");
    private static final List<Aggregate> AGGS = List.of(Aggregate.count(), Aggregate.sum("v"));

    private static VectorSchemaRoot batch(BufferAllocator allocator, long from, int rows) {
        BigIntVector k = new BigIntVector("k", allocator);
        BigIntVector v = new BigIntVector("v", allocator);
        k.allocateNew(rows);
        v.allocateNew(rows);
        for (int i = 0; i < rows; i++) {
            k.set(i, (from + i) % 10);
            v.set(i, from + i);
        }
        k.setValueCount(rows);
        v.setValueCount(rows);
        return new VectorSchemaRoot(List.of(k, v));
    }

    @Test
    void emitsPartialStatesMarkedWithTheInputSchemaAndEarlyWhenTheTableIsFull() throws Exception {
        try (BufferAllocator allocator = new RootAllocator()) {
            StageContext ctx = new StageContext(allocator, DataContext.current(), "test", 0, List.of(), Map.of());
            List<VectorSchemaRoot> in = List.of(batch(allocator, 0, 3), batch(allocator, 3, 3), batch(allocator, 6, 40));
            Schema raw = in.getFirst().getSchema();
            List<VectorSchemaRoot> out = new ArrayList<>();
            try (CloseableIterator<VectorSchemaRoot> it = new PartialAggregateStage(KEYS, AGGS, 5)
                    .apply(Iterators.of(in), ctx)) {
                it.forEachRemaining(out::add);
            }
            // 3 groups, then 6 (at least 5: emitted), then the last batch on a fresh table: 10
            assertEquals(List.of(6, 10), out.stream().map(VectorSchemaRoot::getRowCount).toList());
            HashAggregator reducer = GroupByExchange.reducer(raw, KEYS, AGGS);
            for (VectorSchemaRoot p : out) {
                assertEquals(raw.toJson(), GroupByExchange.partialInputSchema(p.getSchema()));
                GroupByExchange.fold(reducer, p);
                p.close();
            }
            try (VectorSchemaRoot result = reducer.result(allocator)) {
                assertEquals(10, result.getRowCount());
                long count = 0;
                long sum = 0;
                for (int i = 0; i < 10; i++) {
                    count += ((BigIntVector) result.getVector("count()")).get(i);
                    sum += ((BigIntVector) result.getVector("sum(v)")).get(i);
                }
                assertEquals(46, count);
                assertEquals(45 * 46 / 2, sum);
            }
            assertTrue(allocator.getAllocatedMemory() == 0, "every batch closed");
        }
    }

    @Test
    void noRowsEmitNothing() {
        try (BufferAllocator allocator = new RootAllocator()) {
            StageContext ctx = new StageContext(allocator, DataContext.current(), "test", 0, List.of(), Map.of());
            try (CloseableIterator<VectorSchemaRoot> it = new PartialAggregateStage(List.of(), AGGS, 5)
                    .apply(Iterators.of(List.of(batch(allocator, 0, 0))), ctx)) {
                assertTrue(!it.hasNext());
            }
        }
    }
}

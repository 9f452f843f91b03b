package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code streamingSplit}: consumers in actors pull concurrently from one execution. */
class StreamingSplitTest {
    static final int N = 30_001;
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        weft = WeftCluster.start(2, 4, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    /** A training-worker stand-in: reads its split and returns the ids it saw. */
    public static final class Consumer {
        public List<Long> consume(DataIterator it, Integer batchSize) {
            List<Long> ids = new ArrayList<>();
            try (CloseableIterator<VectorSchemaRoot> batches = it.iterBatches(batchSize)) {
                while (batches.hasNext()) {
                    VectorSchemaRoot b = batches.next();
                    if (b.getRowCount() > batchSize) {
                        throw new IllegalStateException("batch of " + b.getRowCount() + " rows, asked for " + batchSize);
                    }
                    BigIntVector v = (BigIntVector) b.getVector("id");
                    for (int i = 0; i < b.getRowCount(); i++) {
                        ids.add(v.get(i));
                    }
                }
            }
            return ids;
        }

        /** Reads one batch, then gives up the rest of the split. */
        public Long takeOneBatch(DataIterator it) {
            try (CloseableIterator<VectorSchemaRoot> batches = it.iterBatches()) {
                return batches.hasNext() ? (long) batches.next().getRowCount() : 0L;
            }
        }
    }

    static Dataset data() {
        return Datasets.range(N).withColumn("v", col("id").times(2L)).repartition(24, false);
    }

    static List<List<Long>> consumeInActors(List<DataIterator> its) {
        List<ActorHandle<Consumer>> actors = new ArrayList<>();
        List<ObjectRef<List<Long>>> results = new ArrayList<>();
        for (DataIterator it : its) {
            ActorHandle<Consumer> a = weft.actor(Consumer::new).remote();
            actors.add(a);
            results.add(a.task(Consumer::consume, it, 1000).remote());
        }
        List<List<Long>> out = weft.get(results);
        actors.forEach(weft::kill);
        return out;
    }

    @Test
    void consumersInActorsReceiveDisjointRowsWhoseUnionIsTheDataset() {
        List<DataIterator> its = data().streamingSplit(3, false, null);
        assertEquals(3, its.size());
        List<List<Long>> parts = consumeInActors(its);
        Set<Long> union = new HashSet<>();
        long total = 0;
        for (List<Long> p : parts) {
            total += p.size();
            union.addAll(p);
        }
        assertEquals(N, total, "rows received");
        assertEquals(N, union.size(), "a row went to two consumers");
        for (long id = 0; id < N; id++) {
            assertTrue(union.contains(id), "row " + id + " reached no consumer");
        }
    }

    @Test
    void localityHintsSteerBlocksWithoutLosingOrRepeatingRows() {
        List<String> nodes = weft.nodes().stream().map(dev.weft.api.NodeInfo::nodeId).toList();
        for (boolean equal : new boolean[] {false, true}) {
            List<List<Long>> parts = consumeInActors(data().streamingSplit(2, equal, List.of(nodes.get(0), nodes.get(1))));
            Set<Long> union = new HashSet<>();
            long total = 0;
            for (List<Long> p : parts) {
                total += p.size();
                union.addAll(p);
            }
            assertEquals(total, union.size(), "a row went to two consumers (equal=" + equal + ")");
            assertEquals(equal ? N / 2 * 2 : N, total, "rows received (equal=" + equal + ")");
        }
    }

    @Test
    void equalSplitsGetTheSameRowCount() {
        int n = 4;
        List<List<Long>> parts = consumeInActors(data().streamingSplit(n, true, List.of()));
        Set<Long> union = new HashSet<>();
        for (List<Long> p : parts) {
            assertEquals(N / n, p.size(), "rows of one split: " + parts.stream().map(List::size).toList());
            union.addAll(p);
        }
        assertEquals((long) N / n * n, union.size(), "splits overlap");
    }

    @Test
    void aConsumerThatStopsEarlyLeavesItsRowsToTheOthers() {
        List<DataIterator> its = data().streamingSplit(3, false, null);
        ActorHandle<Consumer> quitter = weft.actor(Consumer::new).remote();
        long first = quitter.task(Consumer::takeOneBatch, its.get(0)).remote().get();
        List<List<Long>> rest = consumeInActors(its.subList(1, 3));
        long received = first + rest.get(0).size() + rest.get(1).size();
        assertEquals(N, received, "the quitter's first batch plus the others' rows");
        weft.kill(quitter);
    }

    @Test
    void aMaterializedDatasetStaysReadableAfterItWasSplit() {
        Dataset m = data().materialize();
        for (int epoch = 0; epoch < 2; epoch++) {
            long rows = 0;
            for (DataIterator it : m.streamingSplit(2, epoch == 1, null)) {
                try (CloseableIterator<Row> r = it.iterRows()) {
                    while (r.hasNext()) {
                        r.next();
                        rows++;
                    }
                }
            }
            assertEquals(epoch == 1 ? N / 2 * 2 : N, rows, "epoch " + epoch);
        }
        assertEquals(N, m.takeAll().size(), "the split released blocks of the materialized dataset");
    }

    @Test
    void aFailingExecutionReachesEveryConsumer() {
        List<DataIterator> its = Datasets.range(1_000).map(r -> {
            if (r.getLong("id") == 500) {
                throw new IllegalStateException("bad row 500");
            }
            return r;
        }).streamingSplit(2, false, null);
        for (DataIterator it : its) {
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> {
                try (CloseableIterator<Row> rows = it.iterRows()) {
                    while (rows.hasNext()) {
                        rows.next();
                    }
                }
            });
            String all = BlockOperatorsTest.messages(e);
            assertTrue(all.contains("execution failed") && all.contains("bad row 500"), all);
        }
    }

    @Test
    void badArgumentsNameTheValue() {
        BlockOperatorsTest.assertMessage(() -> data().streamingSplit(0, true, null), "got 0");
        BlockOperatorsTest.assertMessage(() -> data().streamingSplit(2, true, List.of("a")), "got 1 hints for 2 splits");
        BlockOperatorsTest.assertMessage(() -> data().streamingSplit(1, true, List.of("no-such-node")),
                "'no-such-node' is not a node");
    }
}

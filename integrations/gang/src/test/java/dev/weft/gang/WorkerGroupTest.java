package dev.weft.gang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskFailedException;
import dev.weft.api.Weft;
import dev.weft.gang.WorkerGroup.WorkerGroupException;
import dev.weft.testing.WeftTest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Worker groups on an embedded cluster of four nodes: rendezvous, ring all-reduce, restart and elastic shrink. */
@WeftTest(nodes = 4, cpusPerNode = 2)
class WorkerGroupTest {
    private static final int LENGTH = 100_003; // not a multiple of the world size: uneven chunks

    /** Member {@code rank}'s contribution: whole numbers, so any order of summation is exact. */
    static double[] contribution(int rank, int length) {
        double[] v = new double[length];
        for (int i = 0; i < length; i++) {
            v[i] = rank * 1_000_003.0 + (i % 977) - 488;
        }
        return v;
    }

    static double[] expectedSum(int members, int length) {
        double[] sum = new double[length];
        for (int r = 0; r < members; r++) {
            double[] c = contribution(r, length);
            for (int i = 0; i < length; i++) {
                sum[i] += c[i];
            }
        }
        return sum;
    }

    static double[] allReduce(Void state, GroupContext ctx) throws Exception {
        double[] v = contribution(ctx.rank(), LENGTH);
        ctx.ring().allReduceSum(v);
        return v;
    }

    @Test
    void membersGetRanksWorldSizeAndAddressesAndAllReduceExactly(Weft weft) {
        for (PlacementStrategy strategy : List.of(PlacementStrategy.PACK, PlacementStrategy.STRICT_SPREAD)) {
            try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(4).strategy(strategy).start()) {
                List<String> seen = group.run((s, ctx) -> ctx.rank() + "/" + ctx.worldSize() + "/"
                        + ctx.addresses().size() + "/" + ctx.generation());
                assertEquals(List.of("0/4/4/0", "1/4/4/0", "2/4/4/0", "3/4/4/0"), seen, strategy.name());
                List<double[]> sums = group.run(WorkerGroupTest::allReduce);
                double[] expected = expectedSum(4, LENGTH);
                for (double[] s : sums) {
                    assertArrayEquals(expected, s, 0.0, strategy.name());
                }
                assertEquals(strategy, group.placementGroup().strategy());
            }
        }
    }

    @Test
    void aGroupOfOneAndOfTwoAllReduce(Weft weft) {
        for (int n : List.of(1, 2)) {
            try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(n).start()) {
                for (double[] s : group.run(WorkerGroupTest::allReduce)) {
                    assertArrayEquals(expectedSum(n, LENGTH), s, 0.0);
                }
            }
        }
    }

    @Test
    @WeftTest(nodes = 4, cpusPerNode = 2, infeasibleTimeoutMillis = 500)
    void aGroupThatCannotBePlacedFailsNamingTheStrategy(Weft weft) {
        WorkerGroupException e = assertThrows(WorkerGroupException.class,
                () -> WorkerGroup.builder(weft).size(5).strategy(PlacementStrategy.STRICT_SPREAD).start());
        assertTrue(e.getMessage().contains("STRICT_SPREAD") && e.getMessage().contains("5 members"), e.getMessage());
    }

    /** Generation 0 joins the ring, reports ready and waits to be interrupted; later generations all-reduce. */
    static MemberFn<AtomicInteger, double[]> blockFirstGeneration(String key) {
        return (runs, ctx) -> {
            int run = runs.incrementAndGet();
            if (ctx.generation() == 0) {
                ctx.ring();
                Gates.counter(key + "/ready").incrementAndGet();
                Gates.open(key + "/ready-" + ctx.rank());
                Gates.await(key + "/never");
            }
            double[] v = contribution(ctx.rank(), LENGTH);
            ctx.ring().allReduceSum(v);
            double[] out = new double[LENGTH + 2];
            System.arraycopy(v, 0, out, 0, LENGTH);
            out[LENGTH] = run;
            out[LENGTH + 1] = ctx.worldSize();
            return out;
        };
    }

    private static CompletableFuture<List<double[]>> runInBackground(WorkerGroup<AtomicInteger> group,
                                                                     MemberFn<AtomicInteger, double[]> fn) {
        CompletableFuture<List<double[]>> f = new CompletableFuture<>();
        Thread.ofPlatform().name("group-driver").start(() -> {
            try {
                f.complete(group.run(fn));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void awaitReady(String key, int members) throws InterruptedException {
        for (int r = 0; r < members; r++) {
            Gates.await(key + "/ready-" + r);
        }
    }

    private static Set<String> ids(List<ActorHandle<?>> handles) {
        Set<String> ids = new HashSet<>();
        handles.forEach(h -> ids.add(h.actorId()));
        return ids;
    }

    @Test
    void whenAMemberDiesTheGroupRestartsTogether(Weft weft) throws Exception {
        String key = Gates.key("restart");
        try (WorkerGroup<AtomicInteger> group = WorkerGroup.builder(weft, AtomicInteger::new).size(4)
                .strategy(PlacementStrategy.STRICT_SPREAD).maxRestarts(1).start()) {
            List<ActorHandle<?>> before = group.members();
            CompletableFuture<List<double[]>> run = runInBackground(group, blockFirstGeneration(key));
            awaitReady(key, 4);
            weft.kill(before.get(1));
            List<double[]> results = run.get(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, group.restarts());
            assertEquals(1, group.generation());
            assertEquals(4, results.size());
            Set<String> after = ids(group.members());
            after.retainAll(ids(before));
            assertTrue(after.isEmpty(), "every member was replaced, survivors too");
            double[] expected = expectedSum(4, LENGTH);
            for (double[] r : results) {
                assertArrayEquals(expected, java.util.Arrays.copyOf(r, LENGTH), 0.0);
                assertEquals(1.0, r[LENGTH], "new members start from fresh state");
                assertEquals(4.0, r[LENGTH + 1]);
            }
        } finally {
            Gates.open(key + "/never");
        }
    }

    @Test
    void anElasticGroupContinuesWithTheSurvivors(Weft weft) throws Exception {
        String key = Gates.key("elastic");
        try (WorkerGroup<AtomicInteger> group = WorkerGroup.builder(weft, AtomicInteger::new).elastic(2, 4)
                .maxRestarts(0).start()) {
            List<ActorHandle<?>> before = group.members();
            CompletableFuture<List<double[]>> run = runInBackground(group, blockFirstGeneration(key));
            awaitReady(key, 4);
            weft.kill(before.get(2));
            List<double[]> results = run.get(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS);
            assertEquals(0, group.restarts());
            assertEquals(1, group.generation());
            assertEquals(3, group.size());
            assertEquals(List.of(before.get(0).actorId(), before.get(1).actorId(), before.get(3).actorId()),
                    group.members().stream().map(ActorHandle::actorId).toList(), "the survivors, re-ranked in order");
            double[] expected = expectedSum(3, LENGTH);
            for (double[] r : results) {
                assertArrayEquals(expected, java.util.Arrays.copyOf(r, LENGTH), 0.0);
                assertEquals(2.0, r[LENGTH], "survivors keep their state: this is their second run");
                assertEquals(3.0, r[LENGTH + 1]);
            }
        } finally {
            Gates.open(key + "/never");
        }
    }

    @Test
    void aGroupOutOfRestartsFailsNamingTheDeadRank(Weft weft) throws Exception {
        String key = Gates.key("exhausted");
        try (WorkerGroup<AtomicInteger> group = WorkerGroup.builder(weft, AtomicInteger::new).size(2)
                .maxRestarts(0).start()) {
            List<ActorHandle<?>> before = group.members();
            CompletableFuture<List<double[]>> run = runInBackground(group, blockFirstGeneration(key));
            awaitReady(key, 2);
            weft.kill(before.get(1));
            Throwable e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> run.get(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS)).getCause();
            assertInstanceOf(WorkerGroupException.class, e);
            assertTrue(e.getMessage().contains("rank [1]") && e.getMessage().contains("0 restart"), e.getMessage());
        } finally {
            Gates.open(key + "/never");
        }
    }

    @Test
    void aMemberThatDiedBetweenRunsIsReplacedBeforeTheNextRun(Weft weft) {
        try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(3).maxRestarts(1).start()) {
            assertEquals(List.of(3, 3, 3), group.run((s, ctx) -> ctx.worldSize()));
            weft.kill(group.members().get(0));
            for (double[] sum : group.run(WorkerGroupTest::allReduce)) {
                assertArrayEquals(expectedSum(3, LENGTH), sum, 0.0);
            }
            assertEquals(1, group.restarts());
        }
    }

    @Test
    void aMembersOwnExceptionEndsTheRunWithoutRestart(Weft weft) {
        try (WorkerGroup<Void> group = WorkerGroup.builder(weft).size(3).start()) {
            WorkerGroupException e = assertThrows(WorkerGroupException.class, () -> group.run((s, ctx) -> {
                if (ctx.rank() == 1) {
                    throw new IllegalStateException("rank one refuses");
                }
                return ctx.ring().size();
            }));
            assertTrue(e.getMessage().contains("rank 1") && e.getMessage().contains("rank one refuses"), e.getMessage());
            assertInstanceOf(TaskFailedException.class, e.getCause());
            assertEquals(0, group.restarts());
            assertEquals(0, group.generation());
            assertEquals(List.of(3, 3, 3), group.run((s, ctx) -> ctx.ring().size()), "the group is usable again");
        }
    }

    @Test
    void badOptionsFailNamingTheParameter(Weft weft) {
        assertThrows(IllegalArgumentException.class, () -> WorkerGroup.builder(weft).size(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerGroup.builder(weft).elastic(3, 2));
        assertTrue(e.getMessage().contains("min 3") && e.getMessage().contains("max 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WorkerGroup.builder(weft).maxRestarts(-1));
    }
}

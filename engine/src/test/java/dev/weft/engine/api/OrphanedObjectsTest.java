package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.ActorHandle;
import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Objects whose last holder is engine bookkeeping rather than a program's handle leave the store without waiting
 * for a garbage collection: the refs nested in a task's result when the caller let go of the result before the task
 * ended (a failed job closes the refs of tasks still running), and the handles an actor's calls made once the actor
 * is gone (a dataset kills its actor pool when the job ends or fails). Each waits at most 15 s.
 */
@WeftTest(nodes = 2, cpusPerNode = 2)
class OrphanedObjectsTest {
    static final int LONGS = 100_000;

    /** Waits for {@code gate}, then puts a large array and returns its ref inside a list. */
    public static List<ObjectRef<long[]>> putInsideWhenOpened(String gate, Integer n) throws InterruptedException {
        Gates.await(gate);
        List<ObjectRef<long[]>> out = List.of(Weft.current().put(new long[n]));
        Gates.counter(gate).incrementAndGet();
        return out;
    }

    /**
     * Actor instances, kept reachable so that no garbage collection can release their handles for them: what the test
     * checks is that the actor's end does.
     */
    static final List<Producer> INSTANCES = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * An actor whose calls read the arrays they are sent and put a new one, returned inside a list. It remembers the
     * refs of its last call, as actor state may: only the actor's end lets go of them.
     */
    public static final class Producer {
        private List<ObjectRef<long[]>> last = List.of();

        public Producer() {
            INSTANCES.add(this);
        }

        List<ObjectRef<long[]>> last() {
            return last;
        }

        public List<ObjectRef<long[]>> copy(List<ObjectRef<long[]>> inputs) {
            long[] in = inputs.getFirst().get();
            List<ObjectRef<long[]>> out = List.of(Weft.current().put(in.clone()));
            last = List.of(inputs.getFirst(), out.getFirst());
            return out;
        }
    }

    /**
     * An actor whose call, once {@code gate} opens, puts an array and returns its ref inside a list. It keeps an array
     * of its own, which leaves the store when the handles of its life are released.
     */
    public static final class GatedProducer {
        private final ObjectRef<long[]> own = Weft.current().put(new long[LONGS]);

        public List<ObjectRef<long[]>> produce(String gate) throws InterruptedException {
            Gates.await(gate);
            return List.of(Weft.current().put(new long[LONGS]));
        }
    }

    /** Always fails. */
    public static List<ObjectRef<long[]>> fails(Integer n) {
        throw new IllegalStateException("no arrays today (" + n + ")");
    }

    /**
     * Waits (at most 15 s) until every store is empty. Parks between looks rather than spinning: a spinning check
     * allocates fast enough to start garbage collections, which would release forgotten handles and hide the leak.
     */
    private static void awaitEmptyStores(Weft weft, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (storeObjects(weft) != 0 || storeUsed(weft) != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stores not empty 15 s after " + what + ": " + storeObjects(weft)
                        + " objects, " + storeUsed(weft) + " bytes");
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    private static long storeUsed(Weft weft) {
        return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
    }

    private static long storeObjects(Weft weft) {
        return weft.nodes().stream().mapToLong(NodeInfo::objectCount).sum();
    }

    @Test
    void refsInTheResultOfATaskWhoseCallerLetGoBeforeItEndedAreFreed(Weft weft) {
        String gate = Gates.key("orphaned-result");
        ObjectRef<List<ObjectRef<long[]>>> result = weft.task(OrphanedObjectsTest::putInsideWhenOpened, gate, LONGS)
                .remote();
        result.close(); // as a failed exchange closes the refs of its tasks still running
        Gates.open(gate);
        Poll.until(() -> Gates.counter(gate).get() == 1, "the task ran");
        awaitEmptyStores(weft, "a task put " + 8L * LONGS + " bytes into the result its caller had already released");
    }

    // A get over several refs fails with the first failed one: the others' values, decoded before it was reached,
    // gave their nested refs handles that no one held (a failed sort's samples and map pieces).
    @Test
    void aGetThatFailsGivesNoHandleToTheRefsNestedInTheOtherValues(Weft weft) {
        ObjectRef<List<ObjectRef<long[]>>> ok = weft.task(Fns::putInside, LONGS).remote();
        ObjectRef<List<ObjectRef<long[]>>> bad = weft.task(OrphanedObjectsTest::fails, LONGS).remote();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> weft.get(List.of(ok, bad)));
        ok.close();
        bad.close();
        awaitEmptyStores(weft, "the caller released the refs of a get that failed");
    }

    // The result's refs are decoded by the future's callback, on the actor's thread that publishes the result: they
    // are the caller's, and must not be released with the handles of the actor's life.
    @Test
    void refsTheCallerReadFromAnActorsResultOutliveTheActor(Weft weft) {
        String gate = Gates.key("actor-result-future");
        ActorHandle<GatedProducer> actor = weft.actor(GatedProducer::new).remote();
        ObjectRef<List<ObjectRef<long[]>>> call = actor.task(GatedProducer::produce, gate).remote();
        java.util.concurrent.CompletableFuture<List<ObjectRef<long[]>>> future = call.toCompletableFuture();
        Gates.open(gate);
        List<ObjectRef<long[]>> out = future.join();
        call.close();
        weft.kill(actor);
        Poll.until(() -> storeObjects(weft) <= 1, "the killed actor's own array gone from the stores");
        assertEquals(LONGS, out.getFirst().get().length);
        out.forEach(ObjectRef::close);
        awaitEmptyStores(weft, "the caller released the refs it read from the killed actor's result");
    }

    @Test
    void handlesAnActorsCallsMadeAreReleasedWhenTheActorIsKilled(Weft weft) {
        ActorHandle<Producer> actor = weft.actor(Producer::new).remote();
        try (ObjectRef<long[]> input = weft.put(new long[LONGS])) {
            ObjectRef<List<ObjectRef<long[]>>> call = actor.task(Producer::copy, List.of(input)).remote();
            List<ObjectRef<long[]>> out = call.get();
            assertEquals(LONGS, out.getFirst().get().length);
            out.forEach(ObjectRef::close);
            call.close();
        }
        weft.kill(actor);
        try {
            awaitEmptyStores(weft, "the actor that read one array and put another (and kept both refs) was killed"
                    + " and the caller released its own refs");
            assertEquals(2, INSTANCES.getFirst().last().size(), "the actor kept the refs of its call");
        } finally {
            INSTANCES.clear();
        }
    }
}

package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.assertMentions;
import static dev.weft.engine.api.Contracts.assertRuntimeWorks;
import static dev.weft.engine.api.Contracts.concurrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.util.ActorPool;
import dev.weft.util.Queue;
import dev.weft.util.QueueEmptyException;
import dev.weft.util.QueueFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code dev.weft.util}: ActorPool and Queue, built on the public API, on every provider. */
abstract class UtilContract {
    private static final Duration SHORT = Duration.ofMillis(50);

    private static List<ActorHandle<CallFns.Worker>> workers(Weft weft, int n) {
        List<ActorHandle<CallFns.Worker>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(weft.actor(CallFns.Worker::new, 10L).numCpus(0.5).remote());
        }
        return out;
    }

    private static List<Integer> drain(Iterator<Integer> it) {
        List<Integer> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    // ---- ActorPool ----------------------------------------------------------------------------------------

    @Test
    void mapSpreadsValuesOverTheActorsAndKeepsTheirOrder(Weft weft) {
        List<ActorHandle<CallFns.Worker>> actors = workers(weft, 2);
        ActorPool<CallFns.Worker> pool = new ActorPool<>(weft, actors);
        List<Integer> values = IntStream.range(0, 10).boxed().toList();
        assertEquals(values.stream().map(v -> v * 10).toList(),
                drain(pool.map((a, v) -> a.task(CallFns.Worker::scale, v).remote(), values)));
        List<Integer> unordered = drain(pool.mapUnordered((a, v) -> a.task(CallFns.Worker::scale, v).remote(), values));
        assertEquals(values.stream().map(v -> v * 10).toList(), unordered.stream().sorted().toList());
        assertFalse(pool.hasNext());
        assertThrows(NoSuchElementException.class, pool::getNext);
        actors.forEach(weft::kill);
    }

    @Test
    void submitGetNextPushAndPopTrackIdleActors(Weft weft) {
        List<ActorHandle<CallFns.Worker>> actors = workers(weft, 2);
        ActorPool<CallFns.Worker> pool = new ActorPool<>(weft, actors.subList(0, 1));
        assertTrue(pool.hasFree());
        pool.submit((a, v) -> a.task(CallFns.Worker::scale, v).remote(), 1);
        pool.submit((a, v) -> a.task(CallFns.Worker::scale, v).remote(), 2); // waits for the one actor
        assertFalse(pool.hasFree());
        pool.push(actors.get(1)); // takes the waiting value at once
        assertEquals(2, pool.size());
        assertEquals(10, (int) pool.getNext());
        assertEquals(20, (int) pool.getNext());
        assertFalse(pool.hasNext());
        assertTrue(pool.popIdle().isPresent());
        assertTrue(pool.popIdle().isPresent());
        assertTrue(pool.popIdle().isEmpty());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> new ActorPool<>(weft, List.of(actors.get(0), actors.get(0))));
        assertMentions(twice.getMessage(), actors.get(0).actorId(), "already in the pool");
        actors.forEach(weft::kill);
    }

    @Test
    void getNextTimesOutWhileTheCallRunsAndReturnsItOnceDone(Weft weft) {
        assumeTrue(concurrent(weft), "inline runs the blocking call in submit itself");
        Queue<Integer> gate = Queue.create(weft);
        List<ActorHandle<CallFns.Worker>> actors = workers(weft, 1);
        ActorPool<CallFns.Worker> pool = new ActorPool<>(weft, actors);
        pool.submit((a, q) -> a.task(CallFns.Worker::scaleNextOf, q).remote(), gate);
        GetTimeoutException e = assertThrows(GetTimeoutException.class, () -> pool.getNext(SHORT));
        assertMentions(e.getMessage(), "ActorPool", "not ready within");
        assertThrows(GetTimeoutException.class, () -> pool.getNextUnordered(SHORT));
        gate.put(4);
        assertEquals(40, (int) pool.getNext());
        gate.shutdown();
        actors.forEach(weft::kill);
    }

    @Test
    void aDeadActorLeavesThePoolAndItsWorkGoesToTheOthers(Weft weft) {
        List<ActorHandle<CallFns.Worker>> actors = workers(weft, 2);
        ActorPool<CallFns.Worker> pool = new ActorPool<>(weft, actors);
        weft.kill(actors.get(0));
        for (int v = 1; v <= 4; v++) {
            pool.submit((a, x) -> a.task(CallFns.Worker::scale, x).remote(), v);
        }
        List<Integer> got = new ArrayList<>();
        int died = 0;
        while (pool.hasNext()) {
            try {
                got.add(pool.getNextUnordered());
            } catch (ActorDiedException e) {
                died++;
            }
        }
        assertEquals(1, died, "the one call sent to the dead actor");
        assertEquals(1, pool.size());
        assertEquals(3, got.size());
        weft.kill(actors.get(1));
        assertRuntimeWorks(weft);
    }

    // ---- Queue ---------------------------------------------------------------------------------------------

    @Test
    void aQueueIsFirstInFirstOutWithinItsBound(Weft weft) {
        Queue<String> q = Queue.create(weft, 2);
        assertTrue(q.isEmpty());
        q.put("a");
        q.put("b", SHORT);
        assertTrue(q.isFull());
        assertEquals(2, q.size());
        assertEquals(2, q.maxSize());
        assertEquals("a", q.get());
        q.putNowait(null);
        assertEquals("b", q.getNowait());
        assertEquals(null, q.get(SHORT));
        assertTrue(q.isEmpty());
        q.shutdown();
    }

    @Test
    void emptyAndFullFailWithTheQueueAndTheWaitNamed(Weft weft) {
        Queue<Integer> q = Queue.create(weft, 1, c -> c.name("jobs-queue"));
        QueueEmptyException empty = assertThrows(QueueEmptyException.class, q::getNowait);
        assertMentions(empty.getMessage(), "jobs-queue", "empty");
        QueueEmptyException waited = assertThrows(QueueEmptyException.class, () -> q.get(SHORT));
        assertMentions(waited.getMessage(), "jobs-queue", "stayed empty", "PT0.05S");
        q.put(1);
        QueueFullException full = assertThrows(QueueFullException.class, () -> q.putNowait(2));
        assertMentions(full.getMessage(), "jobs-queue", "full", "1 items");
        QueueFullException waitedFull = assertThrows(QueueFullException.class, () -> q.put(2, SHORT));
        assertMentions(waitedFull.getMessage(), "stayed full", "PT0.05S");
        assertThrows(IllegalArgumentException.class, () -> q.get(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Queue.create(weft, -1));
        assertEquals(1, q.get());
        q.shutdown();
    }

    @Test
    void batchesGoInAndOutWholeOrNotAtAll(Weft weft) {
        Queue<Integer> q = Queue.create(weft, 3);
        q.putNowaitBatch(List.of(1, 2));
        QueueFullException full = assertThrows(QueueFullException.class, () -> q.putNowaitBatch(List.of(3, 4)));
        assertMentions(full.getMessage(), "no room for 2");
        assertEquals(2, q.size());
        QueueEmptyException empty = assertThrows(QueueEmptyException.class, () -> q.getNowaitBatch(3));
        assertMentions(empty.getMessage(), "fewer than the 3");
        assertEquals(List.of(1, 2), q.getNowaitBatch(2));
        assertEquals(List.of(), q.getNowaitBatch(0));
        q.shutdown();
    }

    @Test
    void tasksShareAQueueAndAsyncCallsCompleteLater(Weft weft) {
        Queue<Integer> q = Queue.create(weft);
        assertEquals(5, weft.task(CallFns::putAll, q, 0, 5).remote().get());
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(q.get());
        }
        assertEquals(List.of(0, 1, 2, 3, 4), got);
        ObjectRef<Void> put = q.putAsync(7);
        put.get();
        assertEquals(7, q.getAsync().get());
        if (concurrent(weft)) {
            ObjectRef<Integer> waiting = q.getAsync(); // completes only once an item comes
            q.put(8);
            assertEquals(8, waiting.get());
        }
        q.shutdown();
    }

    @Test
    void callsOnAShutDownQueueFailNamingTheQueue(Weft weft) {
        Queue<Integer> q = Queue.create(weft, 0, c -> c.name("gone-queue"));
        q.put(1);
        q.shutdown();
        ActorDiedException e = assertThrows(ActorDiedException.class, q::getNowait);
        assertMentions(e.getMessage(), "gone-queue", "is gone");
        assertThrows(ActorDiedException.class, () -> q.put(2));
        assertRuntimeWorks(weft);
    }
}

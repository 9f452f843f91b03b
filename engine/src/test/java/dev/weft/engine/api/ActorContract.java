package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.concurrent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskFailedException;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Actors: call order, handles in tasks, names, detached, kill and restart, concurrency. Every provider. */
abstract class ActorContract {
    private static final List<Integer> ZERO_TO_99 = IntStream.range(0, 100).boxed().toList();

    @Test
    void callsFromOneCallerRunInSubmissionOrder(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(2).remote();
        for (int i = 0; i < 100; i++) {
            c.task(Counter::incr, 1).remote();
            c.task(Counter::record, i).remote();
        }
        assertEquals(110, c.task(Counter::value).remote().get());
        assertEquals(ZERO_TO_99, c.task(Counter::seen).remote().get());
        weft.kill(c);
    }

    @Test
    void callsWithRefArgumentsStillRunInSubmissionOrder(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 0).remote();
        List<ObjectRef<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Arguments become ready in no particular order: puts at once, tasks whenever they finish.
            ObjectRef<Integer> arg = i % 2 == 0 ? weft.put(i) : weft.task(Fns::identity, i).remote();
            results.add(c.task(Counter::record, arg).remote());
        }
        assertEquals(IntStream.rangeClosed(1, 100).boxed().toList(), weft.get(results));
        assertEquals(ZERO_TO_99, c.task(Counter::seen).remote().get());
        weft.kill(c);
    }

    @Test
    void handlesCanBePassedToTasks(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 1).remote();
        assertEquals(6, weft.task(Fns::incrementVia, c, 5).remote().get());
        assertEquals(6, c.task(Counter::value).remote().get());
        weft.kill(c);
    }

    @Test
    void namedActorsAreFoundByName(Weft weft) {
        String name = Gates.key("counter");
        ActorHandle<Counter> c = weft.actor(Counter::new, 3).name(name).remote();
        assertEquals(name, c.name());
        ActorHandle<Counter> found = weft.<Counter>getActor(name).orElseThrow();
        assertEquals(c.actorId(), found.actorId());
        assertEquals(4, found.task(Counter::incr, 1).remote().get());
        assertEquals(4, c.task(Counter::value).remote().get());
        assertTrue(weft.getActor(Gates.key("missing")).isEmpty());
        weft.kill(c);
        assertTrue(weft.getActor(name).isEmpty(), "a killed actor is no longer registered");
    }

    @Test
    void detachedActorsOutliveTheTaskThatCreatedThem(Weft weft) {
        String name = weft.task(Fns::createDetached, Gates.key("detached")).remote().get();
        ActorHandle<Counter> c = weft.<Counter>getActor(name).orElseThrow();
        assertEquals(5, c.task(Counter::value).remote().get());
        weft.kill(c);
    }

    @Test
    void killWithoutRestartFailsLaterCalls(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 0).maxRestarts(3).remote();
        assertEquals(1, c.task(Counter::incr, 1).remote().get());
        weft.kill(c, true);
        ActorDiedException e = assertThrows(ActorDiedException.class, () -> c.task(Counter::value).remote().get());
        assertTrue(e.getMessage().contains(c.actorId()), e.getMessage());
        Contracts.assertRuntimeWorks(weft);
    }

    @Test
    void killWithRestartRebuildsTheActorUntilRestartsRunOut(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(1).remote();
        assertEquals(15, c.task(Counter::incr, 5).remote().get());
        weft.kill(c, false);
        assertEquals(10, c.task(Counter::value).remote().get(), "a restarted actor starts from its constructor");
        weft.kill(c, false);
        assertThrows(ActorDiedException.class, () -> c.task(Counter::value).remote().get());
        Contracts.assertRuntimeWorks(weft);
    }

    @Test
    void actorErrorsReachTheCallerAndTheActorLivesOn(Weft weft) {
        ActorHandle<Counter> c = weft.actor(Counter::new, 2).remote();
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> c.task(Counter::fail, "actor-boom").remote().get());
        assertTrue(e.getMessage().contains("actor-boom"), e.getMessage());
        assertEquals(2, c.task(Counter::value).remote().get());
        weft.kill(c);
    }

    @Test
    void maxConcurrencyRunsCallsAtTheSameTime(Weft weft) {
        assumeTrue(concurrent(weft), "needs calls that run beside the caller");
        String key = Gates.key("concurrent");
        ActorHandle<Counter> c = weft.actor(Counter::new, 0).maxConcurrency(4).remote();
        List<ObjectRef<Boolean>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            calls.add(c.task(Counter::rendezvous, key, 4).remote());
        }
        assertEquals(List.of(true, true, true, true), weft.get(calls), "4 calls must run at once to meet");
        weft.kill(c);
    }

    @Test
    void aDefaultActorRunsOneCallAtATime(Weft weft) {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        String key = Gates.key("serial");
        ActorHandle<Counter> c = weft.actor(Counter::new, 0).remote();
        List<ObjectRef<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(c.task(Counter::track, key).remote());
        }
        weft.get(calls);
        assertEquals(1, Gates.counter(key + "/max").get());
        weft.kill(c);
    }
}

package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.assertRuntimeWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.SerializationException;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunc0;
import dev.weft.testing.WeftSessions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear exception that names the offending value, and the runtime keeps working afterwards.
 * Every provider.
 */
abstract class BadInputContract {
    @Test
    void aLambdaCapturingSomethingNotSerializableFailsAtSubmissionNamingItsClass(Weft weft) {
        NotSerializableThing thing = new NotSerializableThing(3);
        WeftFunc0<Integer> captures = () -> thing.value;
        SerializationException e = assertThrows(SerializationException.class, () -> weft.task(captures).remote());
        assertTrue(e.getMessage().contains(NotSerializableThing.class.getSimpleName()), e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void negativeOrNanResourcesAreRejectedByName(Weft weft) {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> weft.task(Fns::square, 2).numCpus(-1));
        assertTrue(negative.getMessage().contains("CPU") && negative.getMessage().contains("-1.0"), negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> weft.task(Fns::square, 2).resource("accelerator", Double.NaN));
        assertTrue(nan.getMessage().contains("accelerator") && nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException actor = assertThrows(IllegalArgumentException.class,
                () -> weft.actor(Counter::new, 0).numGpus(-0.5));
        assertTrue(actor.getMessage().contains("GPU") && actor.getMessage().contains("-0.5"), actor.getMessage());
        IllegalArgumentException bundle = assertThrows(IllegalArgumentException.class, () -> Bundle.cpus(Double.NaN));
        assertTrue(bundle.getMessage().contains("NaN"), bundle.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bundle.of(Map.of("CPU", Double.POSITIVE_INFINITY)));
        assertRuntimeWorks(weft);
    }

    @Test
    void aBundleIndexOutOfRangeIsRejectedWithTheIndexAndTheGroupsSize(Weft weft) {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.PACK, Bundle.cpus(0.5), Bundle.cpus(0.5));
        try {
            assertTrue(pg.ready().get());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> weft.task(Fns::square, 2).placementGroup(pg, 2));
            assertTrue(e.getMessage().contains("2 bundles") && e.getMessage().contains(pg.id()), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> weft.actor(Counter::new, 0).placementGroup(pg, -2));
            assertEquals(9, weft.task(Fns::square, 3).numCpus(0.5).placementGroup(pg, 1).remote().get());
        } finally {
            pg.remove();
        }
        assertRuntimeWorks(weft);
    }

    @Test
    void getOnAClosedRefFailsNamingTheRef(Weft weft) {
        ObjectRef<Integer> ref = weft.put(11);
        String id = ref.id();
        ref.close();
        ref.close();
        RuntimeException e = assertThrows(RuntimeException.class, ref::get);
        assertTrue(e.getMessage() != null && e.getMessage().contains(id), "message should name " + id + ": " + e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void getOnARefOfAnotherClosedRuntimeFailsNamingTheRef(Weft weft, WeftSessions sessions) {
        Weft other = sessions.start(b -> { });
        ObjectRef<Integer> foreign = other.put(12);
        String id = foreign.id();
        other.close();
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> weft.get(List.of(foreign), Duration.ofSeconds(30)));
        assertFalse(e instanceof GetTimeoutException, "a foreign ref must fail at once, not time out: " + e);
        assertTrue(e.getMessage() != null && e.getMessage().contains(id), "message should name " + id + ": " + e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void callingAKilledActorFailsNamingTheActor(Weft weft) {
        String name = Gates.key("doomed");
        ActorHandle<Counter> c = weft.actor(Counter::new, 0).name(name).remote();
        assertEquals(0, c.task(Counter::value).remote().get());
        weft.kill(c);
        ActorDiedException e = assertThrows(ActorDiedException.class, () -> c.task(Counter::incr, 1).remote().get());
        assertTrue(e.getMessage().contains(name) || e.getMessage().contains(c.actorId()), e.getMessage());
        assertRuntimeWorks(weft);
    }

    @Test
    void aTaskThrowingOutOfMemoryErrorFailsClearlyAndTheRuntimeSurvives(Weft weft) {
        WeftException e = assertThrows(WeftException.class,
                () -> weft.task(Fns::throwOutOfMemory, 1L << 40).remote().get());
        assertTrue(e.getMessage().contains("OutOfMemoryError") && e.getMessage().contains(String.valueOf(1L << 40)),
                e.getMessage());
        for (int i = 0; i < 10; i++) {
            assertRuntimeWorks(weft);
        }
    }
}

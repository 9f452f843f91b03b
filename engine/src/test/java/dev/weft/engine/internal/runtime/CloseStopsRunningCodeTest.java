package dev.weft.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.LocalClusterControl;
import dev.weft.engine.Straggler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code close()} interrupts every running task and actor call and waits a bounded grace period for them; code
 * that ignores its interrupt is reported (kind, name, node, time since the interrupt) and close returns anyway.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CloseStopsRunningCodeTest {
    private static Weft start(String grace) {
        return Weft.init(WeftConfig.builder().nodes(1, 2).property(LocalClusterControl.CLOSE_GRACE, grace).build());
    }

    @Test
    void closeInterruptsRunningTasksAndActorCallsAndWaitsForThemToEnd() throws InterruptedException {
        String task = Spinners.key("task");
        String call = Spinners.key("call");
        Map<String, String> before = Spinners.weftThreads();
        Weft weft = start("PT60S"); // generous: close returns as soon as the code ends
        LocalClusterControl control = LocalClusterControl.of(weft);
        ObjectRef<Long> spinning = weft.task(Spinners::spinUntilInterrupted, task).remote();
        ActorHandle<Spinners.Actor> actor = weft.actor(Spinners.Actor::new).remote();
        ObjectRef<Long> calling = actor.task(Spinners.Actor::spin, call).remote();
        Spinners.latch(task + "/started").await();
        Spinners.latch(call + "/started").await();

        weft.close();

        assertEquals(0, Spinners.latch(task + "/interrupted").getCount(), "the task was not interrupted");
        assertEquals(0, Spinners.latch(call + "/interrupted").getCount(), "the actor call was not interrupted");
        assertEquals(0, Spinners.latch(task + "/ended").getCount(), "close returned before the task ended");
        assertEquals(0, Spinners.latch(call + "/ended").getCount(), "close returned before the actor call ended");
        assertEquals(List.of(), control.stragglers());
        Map<String, String> left = new HashMap<>(Spinners.weftThreads());
        left.keySet().removeAll(before.keySet());
        assertEquals(Map.of(), left, "Weft threads outlived close()");
        spinning.close();
        calling.close();
    }

    @Test
    void closeReportsCodeThatIgnoresItsInterruptAndReturnsAnyway() throws InterruptedException {
        String task = Spinners.key("deaf-task");
        String call = Spinners.key("deaf-call");
        try {
            Weft weft = start("PT0.2S");
            LocalClusterControl control = LocalClusterControl.of(weft);
            weft.task(Spinners::spinIgnoringInterrupts, task).name("stubborn").remote();
            ActorHandle<Spinners.Actor> actor = weft.actor(Spinners.Actor::new).remote();
            actor.task(Spinners.Actor::ignore, call).remote();
            Spinners.latch(task + "/started").await();
            Spinners.latch(call + "/started").await();

            weft.close();

            List<Straggler> stragglers = control.stragglers();
            assertEquals(2, stragglers.size(), "stragglers: " + stragglers);
            Straggler t = stragglers.stream().filter(s -> s.kind().equals("task")).findFirst().orElseThrow();
            assertTrue(t.name().contains("stubborn"), t.toString());
            assertEquals("node-0", t.nodeId());
            assertEquals("weft-task", t.threadName());
            Straggler c = stragglers.stream().filter(s -> s.kind().equals("actor call")).findFirst().orElseThrow();
            assertTrue(c.name().contains("ignore") && c.name().contains("actor-"), c.toString());
            assertEquals("node-0", c.nodeId());
            assertEquals(1, Spinners.latch(task + "/ended").getCount(), "the deaf task stopped by itself");
        } finally {
            Spinners.stop(task);
            Spinners.stop(call);
        }
        Spinners.thread(task).join();
        Spinners.thread(call).join();
    }
}

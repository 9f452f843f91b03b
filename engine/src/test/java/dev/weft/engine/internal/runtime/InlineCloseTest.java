package dev.weft.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.LocalClusterControl;
import dev.weft.engine.Straggler;
import dev.weft.engine.internal.inline.InlineRuntime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On the inline runtime tasks and actor calls run on their callers' threads: {@code close()} from another thread
 * interrupts them, waits the grace period, reports those that ignore the interrupt, and never waits for an actor
 * call to let go of its actor.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InlineCloseTest {
    private static Weft start(String grace) {
        return Weft.init(WeftConfig.builder().address("inline").property(LocalClusterControl.CLOSE_GRACE, grace).build());
    }

    @Test
    void closeInterruptsATaskRunningOnAnotherThreadAndLeavesThatThreadUninterrupted() throws InterruptedException {
        String key = Spinners.key("inline");
        Weft weft = start("PT60S");
        AtomicBoolean interruptLeft = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().name("inline-caller").start(() -> {
            try {
                weft.task(Spinners::spinUntilInterrupted, key).remote().close();
            } catch (RuntimeException closedMeanwhile) {
                // the runtime closed under the task: its result has nowhere to go
            }
            interruptLeft.set(Thread.currentThread().isInterrupted());
        });
        Spinners.latch(key + "/started").await();

        weft.close();

        assertEquals(0, Spinners.latch(key + "/ended").getCount(), "close returned before the task ended");
        assertEquals(List.of(), ((InlineRuntime) weft.runtime()).stragglers());
        caller.join();
        assertFalse(interruptLeft.get(), "close's interrupt was left on the caller's thread");
    }

    @Test
    void closeReportsATaskAndAnActorCallThatIgnoreTheirInterruptAndReturnsAnyway() throws InterruptedException {
        String task = Spinners.key("inline-deaf-task");
        String call = Spinners.key("inline-deaf-call");
        Weft weft = start("PT0.2S");
        ActorHandle<Spinners.Actor> actor = weft.actor(Spinners.Actor::new).remote();
        Thread taskCaller = Thread.ofPlatform().start(() -> quietly(() -> weft.task(Spinners::spinIgnoringInterrupts, task)
                .name("stubborn").remote()));
        Thread callCaller = Thread.ofPlatform().start(() -> quietly(() -> actor.task(Spinners.Actor::ignore, call).remote()));
        try {
            Spinners.latch(task + "/started").await();
            Spinners.latch(call + "/started").await();

            weft.close();

            List<Straggler> stragglers = ((InlineRuntime) weft.runtime()).stragglers();
            assertEquals(2, stragglers.size(), "stragglers: " + stragglers);
            Straggler t = stragglers.stream().filter(s -> s.kind().equals("task")).findFirst().orElseThrow();
            assertEquals("stubborn", t.name());
            assertEquals("inline-node", t.nodeId());
            Straggler c = stragglers.stream().filter(s -> s.kind().equals("actor call")).findFirst().orElseThrow();
            assertTrue(c.name().contains("ignore"), c.toString());
        } finally {
            Spinners.stop(task);
            Spinners.stop(call);
        }
        taskCaller.join();
        callCaller.join();
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException closedMeanwhile) {
            // the runtime closed under the code: its result has nowhere to go
        }
    }
}

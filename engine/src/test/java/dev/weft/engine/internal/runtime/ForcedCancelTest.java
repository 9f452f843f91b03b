package dev.weft.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cancel(ref, force=true)} reaches code that is computing, not only code blocked in a wait: the task's
 * thread is interrupted, its ref fails at once and its node gets the CPU back at once, even when the code ignores
 * the interrupt. On one node of one CPU, so "the CPU is back" shows as the next task running.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ForcedCancelTest {
    private static Weft oneCpu() {
        return Weft.init(WeftConfig.builder().nodes(1, 1).build());
    }

    @Test
    void aForcedCancelInterruptsACpuBoundTaskAndTheNextTaskRuns() throws InterruptedException {
        String key = Spinners.key("cpu");
        try (Weft weft = oneCpu()) {
            ObjectRef<Long> spinning = weft.task(Spinners::spinUntilInterrupted, key).name("cpu-bound").remote();
            Spinners.latch(key + "/started").await();
            weft.cancel(spinning, true);
            assertThrows(TaskCancelledException.class, spinning::get);
            Spinners.latch(key + "/interrupted").await();
            assertEquals(49, weft.task(Spinners::square, 7).remote().get());
        }
    }

    @Test
    void aForcedCancelGivesTheCpuBackEvenWhenTheTaskIgnoresItsInterrupt() throws InterruptedException {
        String key = Spinners.key("deaf");
        try (Weft weft = oneCpu()) {
            ObjectRef<Long> deaf = weft.task(Spinners::spinIgnoringInterrupts, key).name("deaf").remote();
            Spinners.latch(key + "/started").await();
            ObjectRef<Integer> queued = weft.task(Spinners::square, 7).remote(); // waits for the only CPU
            weft.cancel(deaf, true);
            assertThrows(TaskCancelledException.class, deaf::get);
            assertEquals(49, queued.get(), "the cancelled task's CPU was not given back");
            assertEquals(1, Spinners.latch(key + "/ended").getCount(), "the deaf task stopped by itself");
            Spinners.stop(key);
            Spinners.latch(key + "/ended").await(); // before close, which would otherwise wait its grace for it
        } finally {
            Spinners.stop(key);
        }
    }

    @Test
    void cancellingATaskQueuedBehindARunningOneRemovesIt() throws InterruptedException {
        String running = Spinners.key("running");
        String queuedKey = Spinners.key("queued");
        try (Weft weft = oneCpu()) {
            ObjectRef<Long> first = weft.task(Spinners::spinUntilInterrupted, running).remote();
            Spinners.latch(running + "/started").await();
            ObjectRef<Integer> queued = weft.task(Spinners::countRun, queuedKey).remote();
            weft.cancel(queued);
            assertThrows(TaskCancelledException.class, queued::get);
            weft.cancel(first, true);
            assertThrows(TaskCancelledException.class, first::get);
            // the queue moved past the cancelled task: a task submitted after it runs, and it did not
            assertEquals(49, weft.task(Spinners::square, 7).remote().get());
            assertEquals(0, Spinners.runs(queuedKey), "the cancelled queued task ran");
        }
    }

    @Test
    void aForcedCancelInterruptsARunningActorCallAndTheActorCarriesOn() throws InterruptedException {
        String key = Spinners.key("actor");
        String queuedKey = Spinners.key("actor-queued");
        try (Weft weft = oneCpu()) {
            ActorHandle<Spinners.Actor> actor = weft.actor(Spinners.Actor::new).remote();
            ObjectRef<Long> spinning = actor.task(Spinners.Actor::spin, key).remote();
            Spinners.latch(key + "/started").await();
            ObjectRef<Integer> queued = actor.task(Spinners.Actor::count, queuedKey).remote();
            weft.cancel(queued);
            assertThrows(TaskCancelledException.class, queued::get);
            weft.cancel(spinning, true);
            assertThrows(TaskCancelledException.class, spinning::get);
            Spinners.latch(key + "/interrupted").await();
            assertFalse(actor.task(Spinners.Actor::interruptPending).remote().get(),
                    "the cancel's interrupt reached the actor's next call");
            assertEquals(1, actor.task(Spinners.Actor::count, key).remote().get());
            assertEquals(0, Spinners.runs(queuedKey), "the cancelled queued call ran");
        }
    }
}

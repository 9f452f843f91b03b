package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The JDK's documented {@code ExecutorService} semantics, checked the way the JSR-166 TCK checks
 * {@code ThreadPoolExecutor} (submit, null tasks, rejection after shutdown, exceptions wrapped, invokeAll/Any with
 * and without timeouts, cancellation, interrupts, shutdownNow, awaitTermination, close), on an embedded cluster of
 * two nodes so tasks cross a serialization boundary.
 */
@WeftTest(nodes = 2, cpusPerNode = 2)
class WeftExecutorServiceTest {
    private static final long PATIENCE = Gates.PATIENCE_SECONDS;

    @Test
    void submitCallableReturnsItsValue(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<String> f = ex.submit(new Jobs.Value<>("hello"));
            assertEquals("hello", f.get());
            assertTrue(f.isDone());
            assertFalse(f.isCancelled());
            assertEquals(Future.State.SUCCESS, f.state());
            assertEquals("hello", f.resultNow());
        }
    }

    @Test
    void submitRunnableReturnsNullOrTheGivenResult(Weft weft) throws Exception {
        String key = Gates.key("runnable");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            assertNull(ex.submit((Runnable) new Jobs.Count(key)).get());
            assertEquals("done", ex.submit(new Jobs.Count(key), "done").get());
            assertEquals(2, Gates.counter(key).get());
        }
    }

    @Test
    void executeRunsTheCommand(Weft weft) throws Exception {
        String key = Gates.key("execute");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            ex.execute(new Jobs.Count(key));
            assertTrue(Gates.latch(key + "/ran").await(PATIENCE, TimeUnit.SECONDS));
        }
    }

    @Test
    void nullTasksThrowNullPointerException(Weft weft) {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            assertThrows(NullPointerException.class, () -> ex.submit((Callable<Object>) null));
            assertThrows(NullPointerException.class, () -> ex.submit((Runnable) null));
            assertThrows(NullPointerException.class, () -> ex.execute(null));
            assertThrows(NullPointerException.class, () -> ex.invokeAll(null));
            assertThrows(NullPointerException.class, () -> ex.invokeAny(null));
            List<Callable<Integer>> withNull = new ArrayList<>();
            withNull.add(new Jobs.Value<>(1));
            withNull.add(null);
            assertThrows(NullPointerException.class, () -> ex.invokeAll(withNull));
            assertThrows(NullPointerException.class, () -> ex.invokeAny(withNull));
            assertThrows(NullPointerException.class, () -> ex.invokeAll(List.of(new Jobs.Value<>(1)), 1, null));
            assertThrows(IllegalArgumentException.class, () -> ex.invokeAny(List.of()));
        }
    }

    @Test
    void tasksSubmittedAfterShutdownAreRejected(Weft weft) {
        WeftExecutorService ex = WeftExecutorService.create(weft);
        ex.shutdown();
        assertTrue(ex.isShutdown());
        assertThrows(RejectedExecutionException.class, () -> ex.submit(new Jobs.Value<>(1)));
        assertThrows(RejectedExecutionException.class, () -> ex.execute(new Jobs.Count("never")));
        assertThrows(RejectedExecutionException.class, () -> ex.invokeAll(List.of(new Jobs.Value<>(1))));
        assertThrows(RejectedExecutionException.class, () -> ex.invokeAny(List.of(new Jobs.Value<>(1))));
        assertTrue(ex.isTerminated());
    }

    @Test
    void theTasksExceptionIsWrappedInExecutionException(Weft weft) {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<Integer> f = ex.submit(new Jobs.Fail("bad input 7"));
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("bad input 7", cause.getMessage());
            assertEquals(Future.State.FAILED, f.state());
            assertInstanceOf(IllegalStateException.class, f.exceptionNow());
            assertThrows(ExecutionException.class, () -> f.get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void invokeAllReturnsCompletedFuturesInOrder(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            assertTrue(ex.invokeAll(List.<Callable<Integer>>of()).isEmpty());
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(i == 7 ? new Jobs.Fail("seven") : new Jobs.Value<>(i));
            }
            List<Future<Integer>> futures = ex.invokeAll(tasks);
            assertEquals(20, futures.size());
            for (int i = 0; i < 20; i++) {
                Future<Integer> f = futures.get(i);
                assertTrue(f.isDone());
                if (i == 7) {
                    ExecutionException e = assertThrows(ExecutionException.class, f::get);
                    assertEquals("seven", e.getCause().getMessage());
                } else {
                    assertEquals(i, f.get());
                }
            }
        }
    }

    @Test
    void timedInvokeAllCancelsTheTasksNotDoneByTheDeadline(Weft weft) throws Exception {
        String slow = Gates.key("slow");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            List<Callable<Integer>> tasks = List.of(new Jobs.Value<>(1), new Jobs.Block(slow, 2));
            List<Future<Integer>> futures = ex.invokeAll(tasks, 300, TimeUnit.MILLISECONDS);
            assertEquals(1, futures.get(0).get());
            assertTrue(futures.get(1).isCancelled());
            assertThrows(CancellationException.class, () -> futures.get(1).get());
        } finally {
            Gates.open(slow + "/release");
        }
    }

    @Test
    void invokeAnyReturnsASuccessfulResult(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            List<Callable<Integer>> tasks = List.of(new Jobs.Fail("a"), new Jobs.Value<>(42), new Jobs.Fail("b"));
            assertEquals(42, ex.invokeAny(tasks));
            assertEquals(42, ex.invokeAny(tasks, 60, TimeUnit.SECONDS));
        }
    }

    @Test
    void invokeAnyThrowsExecutionExceptionWhenEveryTaskFails(Weft weft) {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ex.invokeAny(List.of(new Jobs.Fail("x"), new Jobs.Fail("x"))));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        }
    }

    @Test
    void timedInvokeAnyTimesOutAndCancelsItsTasks(Weft weft) {
        String a = Gates.key("any-a");
        String b = Gates.key("any-b");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            assertThrows(TimeoutException.class, () -> ex.invokeAny(
                    List.of(new Jobs.Block(a, 1), new Jobs.Block(b, 2)), 300, TimeUnit.MILLISECONDS));
        } finally {
            Gates.open(a + "/release");
            Gates.open(b + "/release");
        }
    }

    @Test
    void cancelWithInterruptStopsARunningTask(Weft weft) throws Exception {
        String key = Gates.key("cancel-running");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<Integer> f = ex.submit(new Jobs.Block(key, 1));
            Gates.await(key + "/started");
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            assertTrue(f.isDone());
            assertFalse(f.cancel(true), "a second cancel must fail");
            assertThrows(CancellationException.class, f::get);
            assertThrows(CancellationException.class, () -> f.get(1, TimeUnit.SECONDS));
            assertTrue(Gates.latch(key + "/interrupted").await(PATIENCE, TimeUnit.SECONDS), "task not interrupted");
            assertEquals(Future.State.CANCELLED, f.state());
        } finally {
            Gates.open(key + "/release");
        }
    }

    @Test
    void cancelFailsForACompletedTask(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<Integer> f = ex.submit(new Jobs.Value<>(3));
            assertEquals(3, f.get());
            assertFalse(f.cancel(true));
            assertFalse(f.isCancelled());
        }
    }

    @Test
    void aQueuedTaskThatIsCancelledNeverRuns(Weft weft) throws Exception {
        String blocker = Gates.key("blocker");
        String counted = Gates.key("counted");
        try (WeftExecutorService ex = WeftExecutorService.builder(weft).maxInFlight(1).build()) {
            Future<Integer> first = ex.submit(new Jobs.Block(blocker, 1));
            Future<Integer> queued = ex.submit((Callable<Integer>) new Jobs.Count(counted));
            Gates.await(blocker + "/started");
            assertTrue(queued.cancel(false));
            Gates.open(blocker + "/release");
            assertEquals(1, first.get());
            assertEquals(1, ex.submit(new Jobs.Value<>(1)).get(), "the executor moved past the cancelled task");
            assertEquals(0, Gates.counter(counted).get(), "the cancelled task ran");
        } finally {
            Gates.open(blocker + "/release");
        }
    }

    @Test
    void aThreadWaitingInGetIsInterruptible(Weft weft) throws Exception {
        String key = Gates.key("interrupt-get");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<Integer> f = ex.submit(new Jobs.Block(key, 1));
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    f.get();
                } catch (Throwable e) {
                    seen.set(e);
                }
            });
            Gates.await(key + "/started");
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(PATIENCE));
            assertInstanceOf(InterruptedException.class, seen.get());
            assertFalse(f.isDone(), "interrupting a waiter must not affect the task");
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, f::get);
            assertFalse(Thread.interrupted(), "InterruptedException clears the interrupt status");
            Gates.open(key + "/release");
            assertEquals(1, f.get());
        } finally {
            Gates.open(key + "/release");
        }
    }

    @Test
    void timedGetThrowsTimeoutException(Weft weft) throws Exception {
        String key = Gates.key("timed-get");
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Future<Integer> f = ex.submit(new Jobs.Block(key, 5));
            assertThrows(TimeoutException.class, () -> f.get(50, TimeUnit.MILLISECONDS));
            Gates.open(key + "/release");
            assertEquals(5, f.get());
        } finally {
            Gates.open(key + "/release");
        }
    }

    @Test
    void shutdownNowReturnsTheQueuedTasksAndInterruptsTheRunningOne(Weft weft) throws Exception {
        String blocker = Gates.key("now-blocker");
        String counted = Gates.key("now-counted");
        WeftExecutorService ex = WeftExecutorService.builder(weft).maxInFlight(1).build();
        try {
            Future<Integer> running = ex.submit(new Jobs.Block(blocker, 1));
            List<Future<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                queued.add(ex.submit((Callable<Integer>) new Jobs.Count(counted)));
            }
            Gates.await(blocker + "/started");
            List<Runnable> neverStarted = ex.shutdownNow();
            assertEquals(3, neverStarted.size());
            assertTrue(ex.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> ex.submit(new Jobs.Value<>(1)));
            assertTrue(ex.awaitTermination(PATIENCE, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
            assertTrue(Gates.latch(blocker + "/interrupted").await(PATIENCE, TimeUnit.SECONDS));
            assertTrue(running.isCancelled());
            assertEquals(0, Gates.counter(counted).get(), "a queued task ran after shutdownNow");
            assertFalse(queued.get(0).isDone());
            neverStarted.get(0).run();
            assertEquals(1, queued.get(0).get(), "a handed-back task completes its future when the caller runs it");
        } finally {
            Gates.open(blocker + "/release");
            ex.shutdownNow();
        }
    }

    @Test
    void shutdownLetsQueuedTasksFinish(Weft weft) throws Exception {
        WeftExecutorService ex = WeftExecutorService.builder(weft).maxInFlight(2).build();
        List<Future<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(ex.submit(new Jobs.Value<>(i)));
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(PATIENCE, TimeUnit.SECONDS));
        assertTrue(ex.isTerminated());
        for (int i = 0; i < 10; i++) {
            assertEquals(i, futures.get(i).get());
        }
    }

    @Test
    void awaitTerminationReturnsFalseWhileATaskRuns(Weft weft) throws Exception {
        String key = Gates.key("await");
        WeftExecutorService ex = WeftExecutorService.create(weft);
        try {
            Future<Integer> f = ex.submit(new Jobs.Block(key, 1));
            ex.shutdown();
            assertFalse(ex.awaitTermination(50, TimeUnit.MILLISECONDS));
            assertFalse(ex.isTerminated());
            Gates.open(key + "/release");
            assertTrue(ex.awaitTermination(PATIENCE, TimeUnit.SECONDS));
            assertEquals(1, f.get());
        } finally {
            Gates.open(key + "/release");
            ex.shutdownNow();
        }
    }

    @Test
    void closeWaitsForEveryTask(Weft weft) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>();
        WeftExecutorService ex = WeftExecutorService.builder(weft).maxInFlight(3).build();
        try (ex) {
            for (int i = 0; i < 12; i++) {
                futures.add(ex.submit(new Jobs.Value<>(i)));
            }
        }
        assertTrue(ex.isTerminated());
        for (int i = 0; i < 12; i++) {
            assertTrue(futures.get(i).isDone());
            assertEquals(i, futures.get(i).get());
        }
    }

    @Test
    void completableFutureBridgingCarriesValuesAndFailures(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            CompletableFuture<Integer> a = ex.supplyAsync(new Jobs.Value<>(20));
            CompletableFuture<Integer> b = ex.submit(new Jobs.Value<>(22)).toCompletableFuture();
            assertEquals(42, a.thenCombine(b, Integer::sum).get(PATIENCE, TimeUnit.SECONDS));
            CompletableFuture<Integer> failed = ex.supplyAsync(new Jobs.Fail("bridged"));
            Throwable cause = assertThrows(ExecutionException.class, failed::get).getCause();
            assertEquals("bridged", cause.getMessage());
            assertEquals(-1, failed.exceptionally(e -> -1).get());
        }
    }

    @Test
    void completableFuturesAsyncTasksAreRejectedWithAPointerToSupplyAsync(Weft weft) {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> CompletableFuture.supplyAsync(() -> 1, ex));
            assertTrue(e.getMessage().contains("supplyAsync"), e.getMessage());
        }
    }

    @Test
    void aTaskThatCannotBeSerializedIsRejectedNamingItsClass(Weft weft) {
        Object notSerializable = new Object() {
            @Override
            public String toString() {
                return "x";
            }
        };
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            Callable<String> captures = notSerializable::toString;
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.submit(captures));
            assertTrue(e.getMessage().contains(captures.getClass().getName()), e.getMessage());
        }
    }

    @Test
    void parallelMapKeepsOrderAndRunsInChunks(Weft weft) throws Exception {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            items.add(i);
        }
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            List<Integer> expected = items.stream().map(i -> i * i).toList();
            assertEquals(expected, ex.parallelMap(items, WeftExecutorServiceTest::square));
            assertEquals(expected, ex.parallelMap(items, WeftExecutorServiceTest::square, 10));
            assertEquals(List.of(), ex.parallelMap(List.<Integer>of(), WeftExecutorServiceTest::square));
            assertThrows(IllegalArgumentException.class, () -> ex.parallelMap(items, WeftExecutorServiceTest::square, 0));
        }
    }

    @Test
    void parallelMapThrowsTheFirstFailure(Weft weft) {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ex.parallelMap(List.of(1, 2, -3, 4), WeftExecutorServiceTest::sqrtOfPositive));
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(cause.getMessage().contains("-3"), cause.getMessage());
        }
    }

    @Test
    void tasksHoldTheExecutorsResources(dev.weft.testing.WeftSessions sessions) throws Exception {
        Weft weft = sessions.start(b -> b.addNode(java.util.Map.of("CPU", 1.0, "accelerator", 1.0)));
        String key = Gates.key("accelerated");
        try (WeftExecutorService ex = WeftExecutorService.builder(weft).numCpus(0.5).resource("accelerator", 1)
                .name("accelerated").build()) {
            Future<Integer> holding = ex.submit(new Jobs.Block(key, 1));
            Future<Integer> waiting = ex.submit((Callable<Integer>) new Jobs.Count(key + "/second"));
            Gates.await(key + "/started");
            // One accelerator in the cluster: the second task cannot start until the first releases it.
            assertThrows(TimeoutException.class, () -> waiting.get(200, TimeUnit.MILLISECONDS));
            Gates.open(key + "/release");
            assertEquals(1, holding.get());
            assertEquals(1, waiting.get());
        } finally {
            Gates.open(key + "/release");
        }
        Weft noAccelerator = sessions.start(b -> b.infeasibleTimeout(java.time.Duration.ofMillis(200)));
        try (WeftExecutorService ex = WeftExecutorService.builder(noAccelerator).resource("accelerator", 1).build()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> ex.submit(new Jobs.Value<>(1)).get());
            assertInstanceOf(dev.weft.api.TaskUnschedulableException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("accelerator"), e.getCause().getMessage());
        }
    }

    @Test
    void badOptionsFailNamingTheParameter(Weft weft) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeftExecutorService.builder(weft).numCpus(-1));
        assertTrue(e.getMessage().contains("CPU") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeftExecutorService.builder(weft).maxInFlight(0));
        assertTrue(e.getMessage().contains("maxInFlight"), e.getMessage());
        assertThrows(NullPointerException.class, () -> WeftExecutorService.builder(null));
    }

    @Test
    void submitReturnsTheSameFutureTypeForEveryForm(Weft weft) throws Exception {
        try (WeftExecutorService ex = WeftExecutorService.create(weft)) {
            WeftFuture<Integer> f = ex.submit(new Jobs.Value<>(9));
            assertEquals(9, f.get());
            assertSame(f.ref(), f.ref());
            assertEquals(9, f.ref().get());
        }
    }

    public static int square(int x) {
        return x * x;
    }

    public static double sqrtOfPositive(int x) {
        if (x < 0) {
            throw new IllegalArgumentException("not positive: " + x);
        }
        return Math.sqrt(x);
    }
}

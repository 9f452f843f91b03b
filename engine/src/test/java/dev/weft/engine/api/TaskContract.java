package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.concurrent;
import static dev.weft.engine.api.Contracts.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskCancelledException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WaitResult;
import dev.weft.api.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Tasks, refs, wait, cancel and errors, through the public API only. Run against every provider. */
abstract class TaskContract {
    @Test
    void refsPassedAsArgumentsArriveAsTheirValues(Weft weft) {
        ObjectRef<Integer> a = weft.task(Fns::square, 4).remote();
        ObjectRef<Integer> b = weft.task(Fns::add, a, 1).remote();
        assertEquals(17, b.get());
        ObjectRef<Integer> p = weft.put(5);
        assertEquals(22, weft.task(Fns::add, b, p).remote().get());
        assertEquals(List.of(16, 17), weft.get(List.of(a, b)));
    }

    @Test
    void refsInsideValuesStayRefs(Weft weft) {
        List<ObjectRef<Integer>> refs = List.of(weft.put(1), weft.put(2), weft.task(Fns::square, 3).remote());
        assertEquals(12, weft.task(Fns::sumRefs, refs).remote().get());
    }

    @Test
    void borrowedRefsOutliveTheCallersOwnHandles(Weft weft) {
        List<ObjectRef<Integer>> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(weft.task(Fns::square, i + 2).remote());
        }
        List<ObjectRef<Integer>> back = weft.task(Fns::passOn, mine).remote().get();
        mine.forEach(ObjectRef::close);
        assertEquals(List.of(4, 9, 16), weft.get(back));
        back.forEach(ObjectRef::close);
    }

    @Test
    void nestedFanOutDeeperThanTheCpuCountCompletes(Weft weft) {
        // 15 inner tasks block in get at once, more than the cluster's CPUs: they must lend their CPU back.
        assertEquals(16L, weft.task(Fns::fanOut, 4, 2).remote().get());
        assertEquals(20, weft.task(Fns::chain, 20).remote().get());
    }

    @Test
    void futuresCompleteWithTheValueOrTheError(Weft weft) throws Exception {
        CompletableFuture<Integer> ok = weft.task(Fns::square, 9).remote().toCompletableFuture();
        assertEquals(81, ok.get(60, TimeUnit.SECONDS));
        CompletableFuture<Integer> bad = weft.task(Fns::fail, "future-fail").remote().toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(60, TimeUnit.SECONDS));
        assertInstanceOf(TaskFailedException.class, e.getCause());
    }

    @Test
    void waitReturnsAtMostNumReturnsReady(Weft weft) {
        List<ObjectRef<Integer>> refs = List.of(weft.put(1), weft.put(2), weft.put(3));
        WaitResult<Integer> w = weft.wait(refs, 2, Duration.ofSeconds(60));
        assertEquals(2, w.getReady().size());
        assertEquals(1, w.getUnready().size());
        List<String> all = new ArrayList<>(ids(w.getReady()));
        all.addAll(ids(w.getUnready()));
        assertEquals(ids(refs).stream().sorted().toList(), all.stream().sorted().toList());
        assertEquals(3, weft.wait(refs).getReady().size());
    }

    @Test
    void waitGivesReadyInCompletionOrderAndUnreadyInGivenOrder(Weft weft) {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        assumeTrue(concurrent(weft), "needs tasks that run beside the caller");
        String g1 = Gates.key("first");
        String g3 = Gates.key("third");
        try {
            ObjectRef<Integer> r1 = weft.task(Fns::awaitGate, g1, 1).remote();
            ObjectRef<Integer> r2 = weft.task(Fns::identity, 2).remote();
            ObjectRef<Integer> r3 = weft.task(Fns::awaitGate, g3, 3).remote();
            List<ObjectRef<Integer>> refs = List.of(r1, r2, r3);

            WaitResult<Integer> w = weft.wait(refs, 1, Duration.ofSeconds(60));
            assertEquals(ids(r2), ids(w.getReady()));
            assertEquals(ids(r1, r3), ids(w.getUnready()));

            Gates.open(g3);
            assertEquals(3, r3.get());
            Gates.open(g1);
            assertEquals(1, r1.get());
            assertEquals(ids(r2, r3, r1), ids(weft.wait(refs, 3, Duration.ofSeconds(60)).getReady()));
        } finally {
            Gates.open(g1);
            Gates.open(g3);
        }
    }

    @Test
    void waitAndGetTimeOutOnUnfinishedWork(Weft weft) {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        assumeTrue(concurrent(weft), "needs tasks that run beside the caller");
        String gate = Gates.key("never");
        try {
            ObjectRef<Integer> done = weft.task(Fns::identity, 1).remote();
            assertEquals(1, done.get());
            ObjectRef<Integer> blocked = weft.task(Fns::awaitGate, gate, 2).remote();
            WaitResult<Integer> w = weft.wait(List.of(blocked, done), 2, Duration.ofMillis(100));
            assertEquals(ids(done), ids(w.getReady()));
            assertEquals(ids(blocked), ids(w.getUnready()));
            assertFalse(blocked.isReady());
            assertThrows(GetTimeoutException.class, () -> blocked.get(Duration.ofMillis(50)));
            assertThrows(GetTimeoutException.class, () -> weft.get(List.of(done, blocked), Duration.ofMillis(50)));
            Gates.open(gate);
            assertEquals(2, blocked.get());
        } finally {
            Gates.open(gate);
        }
    }

    @Test
    void cancelledQueuedTaskNeverRuns(Weft weft) {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        assumeTrue(concurrent(weft), "needs a task queue");
        String gate = Gates.key("dependency");
        String runs = Gates.key("runs");
        String laterRuns = Gates.key("later-runs");
        try {
            ObjectRef<Integer> dependency = weft.task(Fns::awaitGate, gate, 1).remote();
            ObjectRef<Integer> queued = weft.task(Fns::countRun, dependency, runs).remote();
            weft.cancel(queued);
            assertThrows(TaskCancelledException.class, queued::get);
            Gates.open(gate);
            assertEquals(1, dependency.get());
            // A task queued behind the same dependency after the cancel runs, so the graph moved past that point.
            assertEquals(1, weft.task(Fns::countRun, dependency, laterRuns).remote().get());
            assertEquals(0, Gates.counter(runs).get(), "the cancelled task ran");
        } finally {
            Gates.open(gate);
        }
    }

    @Test
    void forceCancelInterruptsARunningTask(Weft weft) throws InterruptedException {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        assumeTrue(concurrent(weft), "needs tasks that run beside the caller");
        String key = Gates.key("force");
        try {
            ObjectRef<Integer> running = weft.task(Fns::blockUntilInterrupted, key).remote();
            Gates.await(key + "/started");
            weft.cancel(running, true);
            assertThrows(TaskCancelledException.class, running::get);
            assertTrue(Gates.latch(key + "/interrupted").await(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS),
                    "the running task was not interrupted");
        } finally {
            Gates.open(key + "/release");
        }
    }

    @Test
    void cancelReachesTheTasksATaskSubmitted(Weft weft) throws InterruptedException {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        assumeTrue(concurrent(weft), "needs tasks that run beside the caller");
        String key = Gates.key("recursive");
        try {
            ObjectRef<Integer> parent = weft.task(Fns::parentOfBlocked, key).remote();
            Gates.await(key + "/started");
            weft.cancel(parent, true);
            assertThrows(TaskCancelledException.class, parent::get);
            assertTrue(Gates.latch(key + "/interrupted").await(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS),
                    "the child task was not cancelled with its parent");
        } finally {
            Gates.open(key + "/release");
        }
    }

    @Test
    void errorsCarryTaskNameRemoteStackTraceAndCause(Weft weft) {
        ObjectRef<Integer> named = weft.task(Fns::fail, "boom-42").name("exploder").remote();
        TaskFailedException e = assertThrows(TaskFailedException.class, named::get);
        assertEquals("exploder", e.taskName());
        assertEquals(IllegalStateException.class.getName(), e.originalClassName());
        assertEquals("boom-42", e.originalMessage());
        assertTrue(e.remoteStackTrace().contains("explode"), e.remoteStackTrace());
        assertTrue(e.getMessage().contains("exploder") && e.getMessage().contains("boom-42"), e.getMessage());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom-42", cause.getMessage());

        TaskFailedException unnamed = assertThrows(TaskFailedException.class,
                () -> weft.task(Fns::fail, "boom-43").remote().get());
        assertTrue(unnamed.taskName().contains("Fns.fail"), unnamed.taskName());
    }

    @Test
    void errorsFlowThroughDependentTasks(Weft weft) {
        ObjectRef<Integer> failed = weft.task(Fns::fail, "upstream-7").remote();
        ObjectRef<Integer> dependent = weft.task(Fns::add, failed, 1).remote();
        TaskFailedException e = assertThrows(TaskFailedException.class, dependent::get);
        assertTrue(e.getMessage().contains("upstream-7"), e.getMessage());
        assertThrows(TaskFailedException.class, () -> weft.get(List.of(weft.put(1), failed)));
        Contracts.assertRuntimeWorks(weft);
    }

    @Test
    void applicationErrorsAreRetriedOnlyWhenAsked(Weft weft) {
        assumeTrue(Contracts.sameJvm(weft), "steers its tasks through in-JVM gates");
        String retried = Gates.key("retried");
        assertEquals(3, weft.task(Fns::flaky, retried, 2).maxRetries(2).retryExceptions(true).remote().get());
        String notRetried = Gates.key("not-retried");
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> weft.task(Fns::flaky, notRetried, 1).maxRetries(3).remote().get());
        assertTrue(e.getMessage().contains("flaky run 1"), e.getMessage());
        assertEquals(1, Gates.counter(notRetried).get(), "without retryExceptions an exception is final");
        String exhausted = Gates.key("exhausted");
        assertThrows(TaskFailedException.class,
                () -> weft.task(Fns::flaky, exhausted, 5).maxRetries(1).retryExceptions(true).remote().get());
        assertEquals(2, Gates.counter(exhausted).get(), "one try plus one retry");
    }
}

package dev.weft.executor;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.TaskCaller;
import dev.weft.api.Weft;
import dev.weft.api.WeftFunc1;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link java.util.concurrent.ExecutorService} whose tasks run as Weft tasks, on the embedded cluster or on a
 * cluster: code written against {@code ExecutorService} runs distributed unchanged (level 2 of the integration
 * levels, like joblib on Ray). The JDK's documented semantics hold: tasks submitted after {@link #shutdown()} are
 * rejected with {@link RejectedExecutionException}; {@code get} wraps the task's exception in
 * {@link ExecutionException}; {@link Future#cancel} stops a queued task and, with {@code mayInterruptIfRunning},
 * interrupts a running one; {@link #shutdownNow()} returns the tasks that never started and interrupts the running
 * ones; {@link #close()} waits for every task.
 *
 * <p>Tasks (and what they return) are shipped to other nodes, so they must be serializable: an instance of a
 * class (any class with serializable fields), a {@code Serializable} lambda, or a method reference cast to one.
 * A task that cannot be serialized is rejected at {@code submit} with a {@link RejectedExecutionException} naming
 * its class. Every task holds this executor's resources while it runs (default 1 CPU). At most
 * {@code maxInFlight} tasks are submitted to Weft at a time; the rest wait in this executor's queue, in order,
 * which is what {@link #shutdownNow()} returns.
 *
 * <p>Thread-safe. The executor does not own the {@link Weft} session it was built on: close the executor before
 * the session. {@link CompletableFuture#supplyAsync(java.util.function.Supplier, java.util.concurrent.Executor)}
 * cannot run on it (its task completes a future in this JVM); use {@link #supplyAsync(Callable)} instead.
 */
public final class WeftExecutorService extends AbstractExecutorService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WeftExecutorService.class.getName());
    private static final int RUNNING = 0;
    private static final int SHUTDOWN = 1;
    private static final int STOP = 2;
    private static final int TERMINATED = 3;

    private final Weft weft;
    private final Map<String, Double> resources;
    private final int maxRetries;
    private final boolean retryExceptions;
    private final String name;
    private final int maxInFlight;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Tasks accepted but not yet submitted to Weft, in submission order. Guarded by {@link #lock}. */
    private final ArrayDeque<Queued<?>> queue = new ArrayDeque<>();
    /** Futures submitted to Weft and not yet complete. Guarded by {@link #lock}. */
    private final java.util.Set<WeftFuture<?>> running = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int state = RUNNING;
    private boolean dispatcherRunning;

    private WeftExecutorService(Builder b) {
        this.weft = b.weft;
        this.resources = Map.copyOf(b.resources);
        this.maxRetries = b.maxRetries;
        this.retryExceptions = b.retryExceptions;
        this.name = b.name;
        this.maxInFlight = b.maxInFlight > 0 ? b.maxInFlight : defaultInFlight(weft, resources);
    }

    /** An executor on {@code weft} whose tasks hold 1 CPU each. */
    public static WeftExecutorService create(Weft weft) {
        return builder(weft).build();
    }

    /** Options for an executor on {@code weft}. */
    public static Builder builder(Weft weft) {
        return new Builder(weft);
    }

    /** How many tasks this executor keeps submitted to Weft at once. */
    public int maxInFlight() {
        return maxInFlight;
    }

    // ---- submission ------------------------------------------------------------------------------------------

    @Override
    public <T> WeftFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return enqueue(new Queued<>(new WeftFuture<>(this), ExecutorTasks::call, task, task));
    }

    @Override
    public <T> WeftFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        checkNotAsyncCompletion(task);
        return submit(new RunnableAdapter<>(task, result));
    }

    @Override
    public WeftFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    /** Runs {@code command} as a Weft task; a failure is logged, as a pool thread's uncaught exception would be. */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        checkNotAsyncCompletion(command);
        WeftFuture<?> f = submit(command);
        f.toCompletableFuture().whenComplete((v, e) -> {
            if (e != null && !(e instanceof CancellationException)) {
                LOG.log(System.Logger.Level.WARNING, "task " + command.getClass().getName()
                        + " run by execute() failed", e);
            }
        });
    }

    /** Submits {@code task} and bridges it to a {@link CompletableFuture} holding its value or its exception. */
    public <T> CompletableFuture<T> supplyAsync(Callable<T> task) {
        return submit(task).toCompletableFuture();
    }

    /**
     * Applies {@code fn} to every element of {@code items} as Weft tasks and returns the results in order (like
     * joblib's {@code Parallel(...)(delayed(fn)(x) for x in items)}). On the first failure the other tasks are
     * cancelled and the failure is thrown, wrapped in {@link ExecutionException}.
     */
    public <T, R> List<R> parallelMap(List<T> items, WeftFunc1<? super T, ? extends R> fn)
            throws InterruptedException, ExecutionException {
        return parallelMap(items, fn, 1);
    }

    /**
     * Like {@link #parallelMap(List, WeftFunc1)}, running {@code chunkSize} consecutive elements per task (joblib's
     * {@code batch_size}): fewer, larger tasks when each call is tiny.
     */
    public <T, R> List<R> parallelMap(List<T> items, WeftFunc1<? super T, ? extends R> fn, int chunkSize)
            throws InterruptedException, ExecutionException {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(fn, "fn");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
        }
        List<WeftFuture<List<R>>> chunks = new ArrayList<>();
        for (int from = 0; from < items.size(); from += chunkSize) {
            List<T> chunk = new ArrayList<>(items.subList(from, Math.min(items.size(), from + chunkSize)));
            chunks.add(enqueue(new Queued<>(new WeftFuture<>(this), ExecutorTasks::mapChunk,
                    new ExecutorTasks.MapChunk<T, R>(fn, chunk), fn)));
        }
        List<R> out = new ArrayList<>(items.size());
        try {
            for (WeftFuture<List<R>> c : chunks) {
                out.addAll(c.get());
            }
        } catch (InterruptedException | ExecutionException | RuntimeException e) {
            chunks.forEach(c -> c.cancel(true));
            throw e;
        }
        return out;
    }

    // ---- invokeAll / invokeAny (Invocations) -----------------------------------------------------------------

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return Invocations.invokeAll(this, tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return Invocations.invokeAll(this, tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        return Invocations.invokeAny(this, tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return Invocations.invokeAny(this, tasks, System.nanoTime() + unit.toNanos(timeout));
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    @Override
    public void shutdown() {
        lock.lock();
        try {
            if (state == RUNNING) {
                state = SHUTDOWN;
            }
            room.signalAll();
            tryTerminate();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting tasks, removes the queued ones (never submitted to Weft) and returns them, and cancels the
     * running ones with an interrupt. A returned task's future completes only if the caller runs the task.
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverStarted = new ArrayList<>();
        List<WeftFuture<?>> toCancel;
        lock.lock();
        try {
            if (state < STOP) {
                state = STOP;
            }
            for (Queued<?> q : queue) {
                if (!q.future.isDone()) {
                    neverStarted.add(q);
                }
            }
            queue.clear();
            toCancel = new ArrayList<>(running);
            room.signalAll();
            tryTerminate();
        } finally {
            lock.unlock();
        }
        toCancel.forEach(f -> f.cancel(true));
        return neverStarted;
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return state >= SHUTDOWN;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return terminated.await(timeout, unit);
    }

    /** Shuts down and waits for every task, as {@link java.util.concurrent.ExecutorService#close()} specifies. */
    @Override
    public void close() {
        super.close();
    }

    // ---- dispatching -----------------------------------------------------------------------------------------

    private <T> WeftFuture<T> enqueue(Queued<T> q) {
        boolean direct;
        lock.lock();
        try {
            if (state != RUNNING) {
                throw new RejectedExecutionException("executor " + describe() + " is shut down; task "
                        + q.task.getClass().getName() + " rejected");
            }
            direct = queue.isEmpty() && running.size() < maxInFlight;
            if (direct) {
                running.add(q.future);
            } else {
                queue.addLast(q);
                if (!dispatcherRunning) {
                    dispatcherRunning = true;
                    Thread.ofVirtual().name("weft-executor-dispatch").start(this::dispatchLoop);
                } else {
                    room.signal();
                }
            }
        } finally {
            lock.unlock();
        }
        if (direct) {
            try {
                submitToWeft(q);
            } catch (RuntimeException e) {
                finished(q.future);
                throw new RejectedExecutionException("task " + q.task.getClass().getName()
                        + " cannot run as a Weft task: " + e.getMessage(), e);
            }
        }
        return q.future;
    }

    private void dispatchLoop() {
        while (true) {
            Queued<?> next;
            lock.lock();
            try {
                while (true) {
                    if (state >= STOP || queue.isEmpty()) {
                        dispatcherRunning = false;
                        tryTerminate();
                        return;
                    }
                    if (running.size() < maxInFlight) {
                        next = queue.pollFirst();
                        if (next.future.cancelledBeforeDispatch()) {
                            continue;
                        }
                        running.add(next.future);
                        break;
                    }
                    room.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            try {
                submitToWeft(next);
            } catch (RuntimeException e) {
                next.future.failed(e);
                finished(next.future);
            }
        }
    }

    private <T> void submitToWeft(Queued<T> q) {
        TaskCaller<T> caller = weft.task(q.function, q.argument)
                .maxRetries(maxRetries)
                .retryExceptions(retryExceptions)
                .name(name != null ? name : q.task.getClass().getName());
        resources.forEach(caller::resource);
        ObjectRef<T> ref = caller.remote();
        q.future.dispatched(ref, true);
    }

    /** Called once per dispatched task when it completes, on whichever thread completed it. */
    void finished(WeftFuture<?> f) {
        lock.lock();
        try {
            if (running.remove(f)) {
                room.signal();
            }
            tryTerminate();
        } finally {
            lock.unlock();
        }
    }

    /** A future cancelled before its task was submitted to Weft leaves the queue. */
    void dequeue(WeftFuture<?> f) {
        lock.lock();
        try {
            Iterator<Queued<?>> it = queue.iterator();
            while (it.hasNext()) {
                if (it.next().future == f) {
                    it.remove();
                    break;
                }
            }
            tryTerminate();
        } finally {
            lock.unlock();
        }
    }

    void cancelTask(ObjectRef<?> ref, boolean interrupt) {
        weft.cancel(ref, interrupt);
    }

    private void tryTerminate() {
        if (state >= SHUTDOWN && state < TERMINATED && queue.isEmpty() && running.isEmpty()) {
            state = TERMINATED;
            terminated.countDown();
        }
    }

    private String describe() {
        return name != null ? "'" + name + "'" : "WeftExecutorService@" + Integer.toHexString(hashCode());
    }

    private static void checkNotAsyncCompletion(Runnable task) {
        if (task instanceof CompletableFuture.AsynchronousCompletionTask) {
            throw new RejectedExecutionException("CompletableFuture's async tasks complete a future in this JVM and "
                    + "cannot run as Weft tasks; use WeftExecutorService.supplyAsync(callable) instead");
        }
    }

    private static int defaultInFlight(Weft weft, Map<String, Double> resources) {
        double cpus = 0;
        for (NodeInfo n : weft.nodes()) {
            if (n.alive()) {
                cpus += n.totalResources().getOrDefault(Resources.CPU, 0.0);
            }
        }
        double perTask = resources.getOrDefault(Resources.CPU, 0.0);
        double slots = perTask > 0 ? cpus / perTask : cpus;
        return (int) Math.max(1024, Math.min(1 << 16, 64 * Math.ceil(slots)));
    }

    /** A task accepted by the executor, with the Weft function that runs it; runnable locally after shutdownNow. */
    private static final class Queued<T> implements Runnable {
        final WeftFuture<T> future;
        final WeftFunc1<Object, T> function;
        final Object argument;
        final Object task;

        @SuppressWarnings("unchecked")
        <A> Queued(WeftFuture<T> future, WeftFunc1<A, T> function, A argument, Object task) {
            this.future = future;
            this.function = (WeftFunc1<Object, T>) function;
            this.argument = argument;
            this.task = task;
        }

        /** Runs the task on the calling thread (for tasks handed back by {@link #shutdownNow()}). */
        @Override
        public void run() {
            try {
                future.completeLocally(function.apply(argument), null);
            } catch (Throwable e) {
                future.completeLocally(null, e);
            }
        }

        @Override
        public String toString() {
            return "queued task " + task.getClass().getName();
        }
    }

    /** A Runnable with a fixed result, as {@link java.util.concurrent.Executors#callable(Runnable, Object)}. */
    record RunnableAdapter<T>(Runnable task, T result) implements Callable<T>, java.io.Serializable {
        @Override
        public T call() {
            task.run();
            return result;
        }
    }

    /** Executor options. Not thread-safe; {@link #build()} validates and copies. */
    public static final class Builder {
        private final Weft weft;
        private final Map<String, Double> resources = new LinkedHashMap<>(Map.of(Resources.CPU, 1.0));
        private int maxRetries = 3;
        private boolean retryExceptions;
        private String name;
        private int maxInFlight;

        private Builder(Weft weft) {
            this.weft = Objects.requireNonNull(weft, "weft");
        }

        /** CPUs each task holds while it runs (default 1; fractions allowed). */
        public Builder numCpus(double cpus) {
            return resource(Resources.CPU, cpus);
        }

        public Builder numGpus(double gpus) {
            return resource(Resources.GPU, gpus);
        }

        /** Any resource each task holds while it runs. */
        public Builder resource(String resource, double amount) {
            if (resource == null || resource.isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank");
            }
            resources.put(resource, Resources.checkAmount(resource, amount));
            return this;
        }

        /** Retries of a task after a worker or node failure (default 3; -1 unlimited). */
        public Builder maxRetries(int n) {
            if (n < -1) {
                throw new IllegalArgumentException("maxRetries must be >= -1, got " + n);
            }
            maxRetries = n;
            return this;
        }

        /** Whether a task that throws is retried too (default false). */
        public Builder retryExceptions(boolean retry) {
            retryExceptions = retry;
            return this;
        }

        /** The name of every task in errors and the state API (default: the task's class). */
        public Builder name(String name) {
            if (name != null && name.isBlank()) {
                throw new IllegalArgumentException("executor name must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * How many tasks are submitted to Weft at once; the rest wait in the executor's queue, which is what
         * {@link WeftExecutorService#shutdownNow()} hands back (default: 64 per CPU slot of the cluster, at least
         * 1,024, so that tiny tasks go straight to Weft instead of through the dispatcher).
         */
        public Builder maxInFlight(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxInFlight must be >= 1, got " + n);
            }
            maxInFlight = n;
            return this;
        }

        public WeftExecutorService build() {
            return new WeftExecutorService(this);
        }
    }
}

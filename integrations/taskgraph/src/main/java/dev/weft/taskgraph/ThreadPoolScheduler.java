package dev.weft.taskgraph;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs tasks on threads of this JVM as their dependencies complete (Dask's {@code scheduler="threads"}). Either
 * owns a fixed pool per computation ({@link #ThreadPoolScheduler(int)}) or uses a pool the caller owns and shuts
 * down ({@link #ThreadPoolScheduler(ExecutorService)}). On the first failure no further task starts and the
 * failure is thrown.
 */
public final class ThreadPoolScheduler implements GraphScheduler {
    private final int threads;
    private final ExecutorService pool;

    /** A scheduler that starts {@code threads} threads for each computation. */
    public ThreadPoolScheduler(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = null;
    }

    /** A scheduler on {@code pool}, which the caller owns. */
    public ThreadPoolScheduler(ExecutorService pool) {
        this.threads = 0;
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public Map<String, Object> compute(TaskGraph graph, Collection<String> outputs) {
        Plan plan = Plan.of(graph, outputs);
        ExecutorService exec = pool != null ? pool : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "graph-thread-pool");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Run(plan, exec).await();
        } finally {
            if (pool == null) {
                exec.shutdownNow();
            }
        }
    }

    /** One computation: counters of unfinished dependencies and of remaining holders, per node. */
    private static final class Run {
        final Plan plan;
        final ExecutorService exec;
        final AtomicReferenceArray<Object> values;
        final AtomicIntegerArray waitingFor;
        final AtomicIntegerArray holds;
        final AtomicInteger left;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Run(Plan plan, ExecutorService exec) {
            this.plan = plan;
            this.exec = exec;
            int n = plan.size();
            values = new AtomicReferenceArray<>(n);
            holds = new AtomicIntegerArray(plan.holds());
            waitingFor = new AtomicIntegerArray(n);
            for (int i = 0; i < n; i++) {
                waitingFor.set(i, plan.deps[i].length);
            }
            left = new AtomicInteger(n);
        }

        Map<String, Object> await() {
            for (int i = 0; i < plan.size(); i++) {
                if (plan.deps[i].length == 0) {
                    schedule(i);
                }
            }
            try {
                done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.cancel(false);
                throw new WeftException(ErrorType.CANCELLED, "interrupted while computing " + plan.outputs);
            } catch (ExecutionException e) {
                throw plan.failure(e.getCause(), null);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (String o : plan.outputs) {
                out.put(o, values.get(plan.index.get(o)));
            }
            return out;
        }

        void schedule(int i) {
            try {
                exec.execute(() -> run(i));
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(e);
            }
        }

        void run(int i) {
            if (done.isDone()) {
                return;
            }
            GraphNode n = plan.nodes[i];
            Object v;
            if (n.isLiteral()) {
                v = n.value();
            } else {
                int[] d = plan.deps[i];
                Object[] in = new Object[d.length];
                for (int j = 0; j < d.length; j++) {
                    in[j] = values.get(d[j]);
                }
                try {
                    v = plan.calls[i].run(in);
                } catch (RuntimeException e) {
                    done.completeExceptionally(plan.failure(e, n.key()));
                    return;
                }
                for (int j : d) {
                    if (holds.decrementAndGet(j) == 0) {
                        values.set(j, null);
                    }
                }
            }
            values.set(i, v);
            for (int u : plan.dependents[i]) {
                if (waitingFor.decrementAndGet(u) == 0) {
                    schedule(u);
                }
            }
            if (left.decrementAndGet() == 0) {
                done.complete(null);
            }
        }
    }
}

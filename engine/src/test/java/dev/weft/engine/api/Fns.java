package dev.weft.engine.api;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The task functions the API tests run. Public static so that any runtime can resolve them. */
public final class Fns {
    private Fns() {
    }

    public static int square(int x) {
        return x * x;
    }

    public static int add(int a, int b) {
        return a + b;
    }

    public static int identity(int x) {
        return x;
    }

    public static int nothing() {
        return 0;
    }

    /** Leaves of a tree of depth {@code depth} and fan-out {@code width}, each inner node blocking in get. */
    public static long fanOut(int depth, int width) {
        if (depth == 0) {
            return 1;
        }
        Weft weft = Weft.current();
        List<ObjectRef<Long>> children = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            children.add(weft.task(Fns::fanOut, depth - 1, width).remote());
        }
        long leaves = 0;
        for (long n : weft.get(children)) {
            leaves += n;
        }
        return leaves;
    }

    /** A chain of {@code depth} tasks, each waiting (in wait, then get) on the next. */
    public static int chain(int depth) {
        if (depth == 0) {
            return 0;
        }
        Weft weft = Weft.current();
        ObjectRef<Integer> next = weft.task(Fns::chain, depth - 1).remote();
        weft.wait(List.of(next), 1, null);
        return next.get() + 1;
    }

    /** Sums refs that arrive inside a list; fails unless each element really is still a ref. */
    public static int sumRefs(List<ObjectRef<Integer>> refs) {
        int sum = 0;
        for (Object o : refs) {
            if (!(o instanceof ObjectRef<?> ref)) {
                throw new IllegalStateException("expected an ObjectRef inside the list, got " + o.getClass().getName());
            }
            sum += (Integer) ref.get();
        }
        return sum;
    }

    /** Returns the refs it was given inside a value, so the caller borrows them back. */
    public static List<ObjectRef<Integer>> passOn(List<ObjectRef<Integer>> refs) {
        return new ArrayList<>(refs);
    }

    public static int awaitGate(String gate, int value) throws InterruptedException {
        Gates.await(gate);
        return value;
    }

    /** Counts its runs under {@code key}, after its argument (a ref) was resolved. */
    public static int countRun(int ignored, String key) {
        return Gates.counter(key).incrementAndGet();
    }

    /** Signals that it started, then blocks until interrupted (recording that) or its gate opens. */
    public static int blockUntilInterrupted(String key) throws InterruptedException {
        Gates.open(key + "/started");
        try {
            Gates.await(key + "/release");
            return 1;
        } catch (InterruptedException e) {
            Gates.open(key + "/interrupted");
            throw e;
        }
    }

    /** Submits {@link #blockUntilInterrupted} as a child and waits for it. */
    public static int parentOfBlocked(String key) {
        return Weft.current().task(Fns::blockUntilInterrupted, key).remote().get();
    }

    public static int fail(String message) {
        return explode(message);
    }

    static int explode(String message) {
        throw new IllegalStateException(message);
    }

    public static int throwOutOfMemory(long bytes) {
        throw new OutOfMemoryError("simulated: could not allocate " + bytes + " bytes");
    }

    public static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    public static long checksum(byte[] b) {
        long sum = 0;
        for (byte x : b) {
            sum += x;
        }
        return sum;
    }

    /** Joins a barrier of {@code parties} and tracks how many run at once; true when the barrier tripped. */
    public static boolean rendezvous(String key, int parties) throws Exception {
        CyclicBarrier barrier = Barriers.of(key, parties);
        AtomicInteger running = Gates.counter(key + "/running");
        AtomicInteger max = Gates.counter(key + "/max");
        max.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            barrier.await(Gates.PATIENCE_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.BrokenBarrierException e) {
            return false;
        } finally {
            running.decrementAndGet();
        }
    }

    /** Increments a counter actor through its handle, from inside a task. */
    public static int incrementVia(ActorHandle<Counter> counter, int by) {
        return counter.task(Counter::incr, by).remote().get();
    }

    /** Creates a detached named counter from inside a task and returns its name. */
    public static String createDetached(String name) {
        Weft.current().actor(Counter::new, 5).name(name).detached().remote();
        return name;
    }

    /** Attempt 1 signals and blocks (until its node dies or the gate opens); later attempts return the attempt count. */
    public static int blockFirstAttempt(String key) throws InterruptedException {
        int attempt = Gates.counter(key).incrementAndGet();
        if (attempt == 1) {
            Gates.open(key + "/started");
            Gates.await(key + "/release");
        }
        return attempt;
    }

    /** A large array (so it lives in a node's store), counting its runs under {@code key}. */
    public static long[] producer(String key, int n) {
        Gates.counter(key).incrementAndGet();
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Doubles every element, counting its runs under {@code key}. */
    public static long[] doubler(long[] in, String key) {
        Gates.counter(key).incrementAndGet();
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * 2;
        }
        return out;
    }

    public static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }

    /** Puts a large array from inside a task and hands back the ref inside a list. */
    public static List<ObjectRef<long[]>> putInside(int n) {
        return List.of(Weft.current().put(new long[n]));
    }

    /** Throws on its first {@code failures} runs under {@code key}, then returns the run number. */
    public static int flaky(String key, int failures) {
        int run = Gates.counter(key).incrementAndGet();
        if (run <= failures) {
            throw new IllegalStateException("flaky run " + run + " of " + key);
        }
        return run;
    }
}

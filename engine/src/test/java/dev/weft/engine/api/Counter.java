package dev.weft.engine.api;

import java.util.ArrayList;
import java.util.List;

/** An actor: a counter that also records the order of the values it was given. */
public final class Counter {
    private int value;
    private final List<Integer> seen = new ArrayList<>();

    public Counter(int start) {
        value = start;
    }

    public int incr(int by) {
        value += by;
        return value;
    }

    public int value() {
        return value;
    }

    public int record(int x) {
        seen.add(x);
        return seen.size();
    }

    public List<Integer> seen() {
        return new ArrayList<>(seen);
    }

    public boolean rendezvous(String key, int parties) throws Exception {
        return Fns.rendezvous(key, parties);
    }

    public int fail(String message) {
        return Fns.fail(message);
    }

    /** Records how many calls run at once under {@code key}; returns the number running when this one ran. */
    public int track(String key) {
        int now = Gates.counter(key + "/running").incrementAndGet();
        Gates.counter(key + "/max").accumulateAndGet(now, Math::max);
        for (int i = 0; i < 100; i++) {
            Thread.yield();
        }
        Gates.counter(key + "/running").decrementAndGet();
        return now;
    }

    /** Attempt 1 signals and blocks (until its node dies or the gate opens); later attempts return the attempt count. */
    public int blockFirstAttempt(String key) throws InterruptedException {
        return Fns.blockFirstAttempt(key);
    }
}

package dev.weft.engine.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;

/** Cyclic barriers shared by the tasks of one test (see {@link Gates}). */
final class Barriers {
    private static final Map<String, CyclicBarrier> BARRIERS = new ConcurrentHashMap<>();

    private Barriers() {
    }

    static CyclicBarrier of(String key, int parties) {
        return BARRIERS.computeIfAbsent(key, k -> new CyclicBarrier(parties));
    }
}

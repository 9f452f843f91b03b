package dev.weft.engine.internal.scheduler;

import dev.weft.api.Resources;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives each resource name a slot in the scheduler's resource vectors (CPU 0, GPU 1, memory 2, custom
 * names after). Vectors shorter than {@link #size()} read missing slots as zero. Thread-safe.
 */
public final class ResourceIndex {
    private final ConcurrentHashMap<String, Integer> slots = new ConcurrentHashMap<>();
    private volatile String[] names = {};
    private final ConcurrentHashMap<Map<String, Double>, double[]> vectors = new ConcurrentHashMap<>();

    public ResourceIndex() {
        slot(Resources.CPU);
        slot(Resources.GPU);
        slot(Resources.MEMORY);
    }

    public int slot(String name) {
        Integer s = slots.get(name);
        if (s != null) {
            return s;
        }
        synchronized (this) {
            s = slots.get(name);
            if (s == null) {
                String[] grown = java.util.Arrays.copyOf(names, names.length + 1);
                grown[names.length] = name;
                names = grown;
                s = names.length - 1;
                slots.put(name, s);
            }
            return s;
        }
    }

    public int size() {
        return names.length;
    }

    public String name(int slot) {
        return names[slot];
    }

    /** The vector of {@code resources}; cached per distinct map, so callers must not modify it. */
    public double[] vector(Map<String, Double> resources) {
        double[] v = vectors.get(resources);
        if (v == null) {
            v = toVector(resources);
            if (vectors.size() < 4096) {
                vectors.put(resources, v);
            }
        }
        return v;
    }

    private double[] toVector(Map<String, Double> resources) {
        int max = -1;
        for (String name : resources.keySet()) {
            max = Math.max(max, slot(name));
        }
        double[] v = new double[max + 1];
        resources.forEach((name, amount) -> v[slot(name)] = amount);
        return v;
    }

    /** The named form of {@code vector}, dropping zero slots. */
    public Map<String, Double> toMap(double[] vector) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < vector.length; i++) {
            if (vector[i] != 0) {
                m.put(names[i], vector[i]);
            }
        }
        return m;
    }

    /** Whether {@code demand} fits in {@code available} (with a small tolerance for fractional sums). */
    public static boolean fits(double[] demand, double[] available) {
        for (int i = 0; i < demand.length; i++) {
            if (demand[i] > 0 && (i >= available.length ? 0 : available[i]) + 1e-9 < demand[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code target -= amount}, slot by slot; {@code target} must be at least as long. */
    public static void subtract(double[] target, double[] amount) {
        for (int i = 0, n = Math.min(target.length, amount.length); i < n; i++) {
            target[i] -= amount[i];
        }
    }

    public static void add(double[] target, double[] amount) {
        for (int i = 0, n = Math.min(target.length, amount.length); i < n; i++) {
            target[i] += amount[i];
        }
    }
}

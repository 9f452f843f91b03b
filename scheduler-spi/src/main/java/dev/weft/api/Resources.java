package dev.weft.api;

import java.util.Map;
import java.util.TreeMap;

/** Resource names and checks shared by every option type. */
public final class Resources {
    public static final String CPU = "CPU";
    public static final String GPU = "GPU";
    public static final String MEMORY = "memory";

    private Resources() {
    }

    /** Fails with the parameter name and value unless {@code amount} is finite and not negative. */
    public static double checkAmount(String name, double amount) {
        if (Double.isNaN(amount) || Double.isInfinite(amount) || amount < 0) {
            throw new IllegalArgumentException("resource '" + name + "' must be a finite amount >= 0, got " + amount);
        }
        return amount;
    }

    /** A sorted, validated, immutable copy that drops zero amounts. */
    public static Map<String, Double> copyOf(Map<String, Double> resources) {
        TreeMap<String, Double> copy = new TreeMap<>();
        resources.forEach((k, v) -> {
            if (k == null || k.isBlank()) {
                throw new IllegalArgumentException("resource name must not be blank: " + resources);
            }
            if (v == null) {
                throw new IllegalArgumentException("resource '" + k + "' has no amount");
            }
            if (checkAmount(k, v) > 0) {
                copy.put(k, v);
            }
        });
        return Map.copyOf(copy);
    }
}

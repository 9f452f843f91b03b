package dev.weft.api;

import java.util.List;

/**
 * The outcome of {@link Weft#wait}: refs that were ready (in completion order) and those that were not
 * (in the order they were given).
 */
public record WaitResult<T>(List<ObjectRef<T>> ready, List<ObjectRef<T>> unready) {
    public WaitResult {
        ready = List.copyOf(ready);
        unready = List.copyOf(unready);
    }

    public List<ObjectRef<T>> getReady() {
        return ready;
    }

    public List<ObjectRef<T>> getUnready() {
        return unready;
    }
}

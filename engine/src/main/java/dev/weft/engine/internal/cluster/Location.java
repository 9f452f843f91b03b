package dev.weft.engine.internal.cluster;

/** Where the value of a cluster object is, once it exists: inline bytes, a holder's store, or the error it failed with. */
sealed interface Location {
    /** The encoded value, kept by whoever holds this location (small results, and a driver's put objects). */
    record Inline(byte[] bytes) implements Location {
    }

    /** The value lives in the store of the participant at {@code holder} (host:port), which serves pulls of it. */
    record Held(String holder, long size) implements Location {
    }

    /** The object failed; {@code get} throws {@code error}. */
    record Failed(RuntimeException error) implements Location {
    }
}

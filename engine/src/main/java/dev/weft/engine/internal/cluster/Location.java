package dev.weft.engine.internal.cluster;

/** Where the value of a cluster object is, once it exists: inline bytes, a holder's store, or the error it failed with. */
sealed interface Location {
    /** The encoded value, kept by whoever holds this location (small results, and a driver's put objects). */
    record Inline(byte[] bytes) implements Location {
    }

    /**
     * The value lives in the store of the participant at {@code holder} (host:port), which serves pulls of it under
     * {@code key}: the object's own id, or (for an object rebuilt by lineage) the id its new maker gave it there.
     */
    record Held(String holder, long size, String key) implements Location {
        Held(String holder, long size) {
            this(holder, size, null);
        }

        /** The id to pull or free at the holder. */
        String keyOr(String id) {
            return key == null ? id : key;
        }
    }

    /** The object failed; {@code get} throws {@code error}. */
    record Failed(RuntimeException error) implements Location {
    }
}

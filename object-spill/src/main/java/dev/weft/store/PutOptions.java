package dev.weft.store;

import java.util.Objects;

/**
 * How to store an object: who owns it and whether it is a primary or a secondary copy.
 *
 * @param owner    owner id (worker, driver or task), recorded with the object; non-null
 * @param copyKind primary (spilled under pressure) or secondary (evicted LRU first)
 */
public record PutOptions(String owner, CopyKind copyKind) {
    public PutOptions {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(copyKind, "copyKind");
    }

    /** A primary copy owned by {@code owner}. */
    public static PutOptions primary(String owner) {
        return new PutOptions(owner, CopyKind.PRIMARY);
    }

    /** A secondary copy (fetched from another node) owned by {@code owner}. */
    public static PutOptions secondary(String owner) {
        return new PutOptions(owner, CopyKind.SECONDARY);
    }
}

package dev.weft.store;

/**
 * Whether a stored object is the node's primary copy or a secondary (cached) copy of an object whose
 * primary lives on another node.
 */
public enum CopyKind {
    /** The copy the owner relies on: never dropped while it exists; spilled under memory pressure. */
    PRIMARY,
    /** A copy fetched from another node: evicted, least recently used first, before any primary is spilled. */
    SECONDARY
}

package dev.weft.store;

/** Where an object's bytes are right now. */
public enum Residency {
    /** In off-heap memory only. */
    IN_MEMORY,
    /** In memory and being written to a spill file. */
    SPILLING,
    /** In memory and also in a spill file (restored, or spilled while pinned): can be dropped without a write. */
    IN_MEMORY_AND_SPILLED,
    /** Only in a spill file; {@link ObjectStore#get} restores it. */
    SPILLED,
    /** Being read back from a spill file. */
    RESTORING
}

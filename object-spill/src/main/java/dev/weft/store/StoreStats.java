package dev.weft.store;

/**
 * A consistent snapshot of a store's accounting. "Now" figures describe the current state; "total"
 * figures count since the store was created.
 *
 * @param capacityBytes          the store's fixed off-heap capacity
 * @param usedBytes              off-heap bytes held now (objects in memory, reservations of puts and restores in progress)
 * @param peakUsedBytes          the highest {@code usedBytes} ever reached (never above capacity)
 * @param pinnedBytes            bytes of objects with at least one open view now
 * @param spillableBytes         bytes of unpinned primary copies in memory now (what spilling could free)
 * @param secondaryBytes         bytes of secondary copies in memory now
 * @param objectCount            objects in the store now, in memory or spilled
 * @param inMemoryCount          objects with their bytes in memory now
 * @param spilledBytes           bytes of live objects that exist in spill files now
 * @param spilledCount           live objects that exist in spill files now
 * @param spillFileCount         spill files on disk/S3 now
 * @param spillFileBytes         bytes of spill files on disk/S3 now (disk use, including freed objects' holes)
 * @param totalSpilledBytes      bytes written to spill files in total
 * @param totalSpilledCount      objects written to spill files in total
 * @param totalSpillFiles        spill files written in total
 * @param totalRestoredBytes     bytes read back from spill files in total
 * @param totalRestoredCount     objects read back from spill files in total
 * @param totalEvictedBytes      bytes of secondary copies evicted in total
 * @param totalEvictedCount      secondary copies evicted in total
 * @param totalSpillFailures     spill writes that failed (nothing was lost; the objects stayed in memory)
 * @param totalLostCount         objects found lost on restore (spill file missing, truncated or corrupt)
 */
public record StoreStats(long capacityBytes, long usedBytes, long peakUsedBytes, long pinnedBytes,
                         long spillableBytes, long secondaryBytes, long objectCount, long inMemoryCount,
                         long spilledBytes, long spilledCount, long spillFileCount, long spillFileBytes,
                         long totalSpilledBytes, long totalSpilledCount, long totalSpillFiles,
                         long totalRestoredBytes, long totalRestoredCount, long totalEvictedBytes,
                         long totalEvictedCount, long totalSpillFailures, long totalLostCount) {
}

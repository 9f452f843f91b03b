package dev.weft.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class PooledRegionTest {
    @Test
    void freedNeighboursCoalesceSoALargeBlockFitsAgain() {
        try (PooledRegion region = new PooledRegion(1 << 20)) {
            long a = region.allocate(256 << 10);
            long b = region.allocate(256 << 10);
            long c = region.allocate(256 << 10);
            long d = region.allocate(256 << 10);
            assertNotEquals(0, a);
            assertNotEquals(0, d);
            assertEquals(0, region.allocate(1), "the region is full");
            region.free(b, 256 << 10);
            region.free(d, 256 << 10);
            assertEquals(0, region.allocate(512 << 10), "free space is fragmented");
            region.free(c, 256 << 10);
            long big = region.allocate(768 << 10);
            assertEquals(b, big, "b, c and d merged into one block");
            region.free(big, 768 << 10);
            region.free(a, 256 << 10);
            assertEquals(1 << 20, region.freeBytes());
        }
    }

    @Test
    void bestFitKeepsLargeBlocksForLargeObjects() {
        try (PooledRegion region = new PooledRegion(1 << 20)) {
            long a = region.allocate(100);
            long gapSmall = region.allocate(1000);
            long b = region.allocate(100);
            region.free(gapSmall, 1000);
            assertEquals(gapSmall, region.allocate(900), "the small hole is used, not the large tail");
            assertNotEquals(a, b);
        }
    }
}

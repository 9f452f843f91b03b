package dev.weft.engine.internal.scheduler;

import java.util.ArrayDeque;

/** A placement-group bundle reserved on a node: its own resources and queue. Loop-confined. */
final class BundleSlot {
    final String groupId;
    final int index;
    final double[] total;
    final double[] available;
    final ArrayDeque<Work> queue = new ArrayDeque<>();

    BundleSlot(String groupId, int index, double[] total, int width) {
        this.groupId = groupId;
        this.index = index;
        this.total = java.util.Arrays.copyOf(total, Math.max(width, total.length));
        this.available = this.total.clone();
    }
}

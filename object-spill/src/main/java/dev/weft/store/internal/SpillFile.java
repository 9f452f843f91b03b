package dev.weft.store.internal;

import dev.weft.spill.SpillTarget;

/** A committed spill file and how many live objects still have their only durable copy in it (guarded by the store lock). */
final class SpillFile {
    final SpillTarget target;
    final String name;
    final long length;
    int liveObjects;

    SpillFile(SpillTarget target, String name, long length) {
        this.target = target;
        this.name = name;
        this.length = length;
    }

    String describe() {
        return target.describe(name);
    }
}

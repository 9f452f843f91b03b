package dev.weft.engine.internal.scheduler;

/** What a node's loop last published about itself: available resources and queue length. Immutable. */
public record NodeSnapshot(boolean alive, double[] available, int queued, long version) {
}

package dev.weft.engine.internal.scheduler;

/**
 * How a node's loop moves queued work to another node, as a Ray raylet spills a lease request back: work waits
 * in the queue of the node placement chose when no node fitted it, but what frees first may be another node —
 * and an actor holds its resources for its whole life, so work queued behind a node's actors might otherwise
 * wait there for ever while the next node stands idle. Both methods are called on a node's loop and must not
 * block.
 */
public interface Spillback {
    /** No spillback: queued work waits for its node. */
    Spillback NONE = new Spillback() {
        @Override
        public void capacityFreed(NodeScheduler node) {
        }

        @Override
        public NodeScheduler target(Work work, NodeScheduler from) {
            return null;
        }
    };

    /** {@code node} gave resources back and has nothing queued: nodes with queued work may send it there. */
    void capacityFreed(NodeScheduler node);

    /** A node other than {@code from} that can run queued {@code work} now, or null to leave it queued. */
    NodeScheduler target(Work work, NodeScheduler from);
}

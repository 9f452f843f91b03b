package dev.weft.engine.internal.scheduler;

/**
 * Something a node admits against its resources: a task attempt or an actor's lifetime lease. The node's
 * event loop is the only writer of the fields marked "loop"; others are set before the work is submitted.
 */
public abstract class Work {
    /** Resources held while running; never modified. */
    protected final double[] demand;
    /** Placement group bundle this work must run in, or null. */
    public volatile String groupId;
    /** Bundle index in {@link #groupId}; -1 means any bundle of the group on the node. */
    public volatile int bundleIndex = -1;
    /** Where the work may run (placement groups aside). */
    public volatile dev.weft.api.SchedulingStrategy strategy = dev.weft.api.SchedulingStrategy.DEFAULT;
    /** The node of the code that submitted the work (the "local" node of hybrid placement). */
    public volatile int localNode;

    // loop state
    long lease;
    boolean blocked;
    boolean holding;
    BundleSlot heldIn;
    Work prev;
    Work next;
    boolean inRunningList;

    protected Work(double[] demand) {
        this.demand = demand;
    }

    public double[] demand() {
        return demand;
    }

    /** What holds the resources once admitted: this work, or a worker slot that may run several works in turn. */
    protected Work holder() {
        return this;
    }

    /** Whether a worker holding a lease for equal demand may run this work next under that lease. */
    protected boolean reusesLease() {
        return false;
    }

    /** Starts the work on {@code node} under lease {@code lease} (called on the loop; must not block). */
    protected abstract void start(NodeScheduler node, long lease);

    /** Whether the work was cancelled while it waited in a queue (the loop then drops it). */
    protected abstract boolean isCancelled();

    /** The node died under this work (called on the loop of the dead node; must not block). */
    protected abstract void abandoned(NodeScheduler node, boolean wasRunning);

    /** The node cannot run this work (e.g. its placement group bundle is gone); called on the loop, must not block. */
    protected abstract void rejected(String reason);

    /** Whether the work still waits for a node (placement may proceed). */
    public abstract boolean awaitingPlacement();

    /** No node can ever run this work; fail it with {@code error}. */
    public abstract void unschedulable(RuntimeException error);

    /** Bytes of this work's arguments held in each node's store, by node id (empty when none are stored). */
    public java.util.Map<String, Long> argumentBytesByNode() {
        return java.util.Map.of();
    }

    /** A name for logs and errors. */
    public abstract String describe();
}

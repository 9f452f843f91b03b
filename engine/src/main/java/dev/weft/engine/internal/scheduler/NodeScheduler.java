package dev.weft.engine.internal.scheduler;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.LiteBlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.weft.engine.internal.objects.NodeStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One virtual node: its resources, its store and its scheduler. A single event loop, fed by an LMAX
 * Disruptor ring, is the only writer of the node's scheduling state (queue, available resources, bundles,
 * running work); every other thread publishes events. The loop blocks when idle (no busy spinning) and
 * admits queued work at the end of each batch of events.
 */
public final class NodeScheduler implements EventHandler<NodeScheduler.Event> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeScheduler.class);
    private static final int RING_SIZE = 1 << 16;
    /** Resource slots tracked for work forwarded to this node but not yet ingested. */
    public static final int INBOUND_SLOTS = 16;

    private static final byte SUBMIT = 1;
    private static final byte DONE = 2;
    private static final byte BLOCKED = 3;
    private static final byte UNBLOCKED = 4;
    private static final byte FREE = 5;
    private static final byte RUN = 6;
    private static final byte NUDGE = 7;

    private final int index;
    private final String nodeId;
    private final double[] total;
    private final NodeStore store;
    private final Consumer<Work> redispatch;
    private final Spillback spillback;
    private final Disruptor<Event> disruptor;
    private final RingBuffer<Event> ring;
    private volatile Thread loopThread;

    // loop state
    private final double[] available;
    /** Queued work; the loop admits from it, and workers that finish a task take the next one of the same demand. */
    private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final NodeBundles bundles = new NodeBundles();
    private final ArrayDeque<Event> selfEvents = new ArrayDeque<>();
    private final IdleWorkers idle = new IdleWorkers();
    private final RunningWork running = new RunningWork();
    private long leases;
    private boolean dirty = true;
    /** Resources were given back in this batch of events (other nodes' queued work may want them). */
    private boolean freed;

    private volatile boolean alive = true;
    /** A NUDGE event is on its way to the loop: work queued meanwhile will be seen when it drains. */
    private final AtomicBoolean nudgePending = new AtomicBoolean();
    /** Another node freed resources: at the end of its next batch the loop offers its blocked queue head to them. */
    private final AtomicBoolean spillCheck = new AtomicBoolean();
    private volatile NodeSnapshot snapshot;
    /** Demand placed on this node by other threads and not yet ingested. */
    private final InboundDemand inbound = new InboundDemand();

    /**
     * @param total      resources by slot of the runtime's {@link ResourceIndex} (at least its current width)
     * @param redispatch called (on the loop) with work that reached this node after it died
     */
    public NodeScheduler(int index, String nodeId, double[] total, NodeStore store, Consumer<Work> redispatch) {
        this(index, nodeId, total, store, redispatch, Spillback.NONE);
    }

    /** @param spillback moves queued work that does not fit here to a node that fits it now */
    public NodeScheduler(int index, String nodeId, double[] total, NodeStore store, Consumer<Work> redispatch,
                         Spillback spillback) {
        this.index = index;
        this.nodeId = nodeId;
        this.total = total.clone();
        this.available = total.clone();
        this.store = store;
        this.redispatch = redispatch;
        this.spillback = spillback;
        this.snapshot = new NodeSnapshot(true, available.clone(), 0, 0);
        this.disruptor = new Disruptor<>(Event::new, RING_SIZE, r -> {
            Thread t = Thread.ofPlatform().daemon().name("weft-scheduler-" + nodeId).unstarted(r);
            loopThread = t;
            return t;
        }, ProducerType.MULTI, new LiteBlockingWaitStrategy());
        disruptor.handleEventsWith(this);
        disruptor.setDefaultExceptionHandler(new LoggingExceptionHandler(nodeId));
        this.ring = disruptor.start();
    }

    public int index() {
        return index;
    }

    public String nodeId() {
        return nodeId;
    }

    public NodeStore store() {
        return store;
    }

    public boolean alive() {
        return alive;
    }

    public double[] total() {
        return total;
    }

    public NodeSnapshot snapshot() {
        return snapshot;
    }

    /** Available resources as the placement view sees them: the last snapshot minus work on its way here. */
    public double[] availableForPlacement() {
        return inbound.subtractFrom(Arrays.copyOf(snapshot.available(), Math.max(total.length, INBOUND_SLOTS)));
    }

    // ---- publishing (any thread) --------------------------------------------------------------------------

    /** Queues {@code work} on this node; {@code chargeInbound} counts it in the placement view until ingested. */
    public void submit(Work work, boolean chargeInbound) {
        if (work.groupId == null && work.reusesLease() && alive && queued.get() == 0 && idle.offer(work)) {
            return; // a lingering worker of the same demand runs it under its lease
        }
        if (!chargeInbound && work.groupId == null) {
            // straight into the shared queue; the loop only needs one nudge per batch of arrivals to drain it
            queue.add(work);
            queued.incrementAndGet();
            dismissIdle();
            if (nudgePending.compareAndSet(false, true)) {
                publish(NUDGE, null, 0, null);
            }
            return;
        }
        dismissIdle();
        if (chargeInbound) {
            inbound.charge(work.demand);
        }
        publish(SUBMIT, work, chargeInbound ? 1 : 0, null);
    }

    /**
     * Another node freed resources this node's queued work may fit in: the loop looks at its blocked queue head at
     * the end of its next batch. Never blocks (another node's loop calls it).
     */
    public void requestSpillCheck() {
        if (alive && spillCheck.compareAndSet(false, true)) {
            // a full ring means the loop is busy anyway: it checks the flag at the end of those events
            ring.tryPublishEvent((e, seq) -> {
                e.kind = NUDGE;
                e.work = null;
                e.payload = null;
            });
        }
    }

    /** Lingering workers hold resources that queued work (of this or another demand) may need: send them away. */
    private void dismissIdle() {
        if (idle.any()) {
            idle.dismissAll();
        }
    }

    /**
     * Puts a worker that is about to finish a task in line for the next task of {@code demand}, which a
     * submitter may then hand it directly (see {@link IdleWorkers}); null when the node is dead. The worker
     * must follow with {@link #awaitHandoff}.
     */
    public IdleWorkers.Waiter lingerFor(double[] demand) {
        return alive ? idle.register(demand) : null;
    }

    /**
     * Keeps the worker's lease up to {@link IdleWorkers#LINGER_NANOS} for handed work: that work, or null when
     * none came or the node has queued work (which the worker should then look at with {@link #takeNextLike}).
     */
    public Work awaitHandoff(IdleWorkers.Waiter waiter, BooleanSupplier stop) {
        return idle.await(waiter, () -> queued.get() > 0 || !alive || stop.getAsBoolean());
    }

    /** The work running under {@code lease} finished: give its resources back. */
    public void done(Work work, long lease) {
        publish(DONE, work, lease, null);
    }

    /** The work is blocked in get/wait: lend its resources to others until {@link #unblocked}. */
    public void blocked(Work work, long lease) {
        publish(BLOCKED, work, lease, null);
    }

    /** Takes the resources back, even if that briefly oversubscribes the node. */
    public void unblocked(Work work, long lease) {
        publish(UNBLOCKED, work, lease, null);
    }

    /** Deletes an object from this node's store on the loop (never on a cleaner thread). */
    public void free(long objectId) {
        publish(FREE, null, objectId, null);
    }

    /** Runs {@code action} on the loop, with access to the node's state. */
    public void run(Consumer<NodeScheduler> action) {
        publish(RUN, null, 0, action);
    }

    /** Runs {@code action} on the loop and waits for it (not from the loop itself). */
    public void runAndWait(Consumer<NodeScheduler> action) {
        if (Thread.currentThread() == loopThread) {
            action.accept(this);
            return;
        }
        CountDownLatch latch = new CountDownLatch(1);
        run(n -> {
            try {
                action.accept(n);
            } finally {
                latch.countDown();
            }
        });
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                LOG.warn("node {}: loop did not run an action within 30 s", nodeId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publish(byte kind, Work work, long value, Object payload) {
        if (Thread.currentThread() == loopThread) {
            Event e = new Event();
            e.kind = kind;
            e.work = work;
            e.value = value;
            e.payload = payload;
            selfEvents.add(e);
            return;
        }
        long seq = ring.next();
        try {
            Event e = ring.get(seq);
            e.kind = kind;
            e.work = work;
            e.value = value;
            e.payload = payload;
        } finally {
            ring.publish(seq);
        }
    }

    // ---- the loop -----------------------------------------------------------------------------------------

    @Override
    public void onEvent(Event e, long sequence, boolean endOfBatch) {
        handle(e.kind, e.work, e.value, e.payload);
        e.work = null;
        e.payload = null;
        if (endOfBatch) {
            endBatch();
        }
    }

    private void endBatch() {
        Event self;
        while ((self = selfEvents.poll()) != null) {
            handle(self.kind, self.work, self.value, self.payload);
        }
        if (alive) {
            drain();
        }
        if (dirty) {
            dirty = false;
            snapshot = new NodeSnapshot(alive, available.clone(), queued.get(), snapshot.version() + 1);
            inbound.settle();
        }
        // after the snapshot: the nodes told here read it to see what is free
        if (freed) {
            freed = false;
            if (alive && queue.isEmpty()) {
                spillback.capacityFreed(this);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(byte kind, Work work, long value, Object payload) {
        switch (kind) {
            case SUBMIT -> {
                if (value == 1) {
                    inbound.ingest(work.demand);
                    dirty = true;
                }
                if (!alive) {
                    redispatch.accept(work);
                } else {
                    enqueue(work);
                }
            }
            case DONE -> release(work, value);
            case BLOCKED -> {
                if (work.holding && work.lease == value && !work.blocked) {
                    work.blocked = true;
                    giveBack(work);
                }
            }
            case UNBLOCKED -> {
                if (work.holding && work.lease == value && work.blocked) {
                    work.blocked = false;
                    take(work, work.heldIn);
                }
            }
            case FREE -> store.delete(value);
            case NUDGE -> {
                nudgePending.set(false); // before draining: arrivals after this point send a new nudge
                dirty = true;
                if (!alive) {
                    Work w;
                    while ((w = queue.poll()) != null) {
                        queued.decrementAndGet();
                        redispatch.accept(w);
                    }
                }
            }
            case RUN -> ((Consumer<NodeScheduler>) payload).accept(this);
            default -> LOG.error("node {}: unknown event kind {}", nodeId, kind);
        }
    }

    private void enqueue(Work work) {
        if (work.groupId != null) {
            BundleSlot slot = bundles.pick(work);
            if (slot == null) {
                work.rejected("placement group " + work.groupId + " has no bundle"
                        + (work.bundleIndex >= 0 ? " #" + work.bundleIndex : "") + " on node " + nodeId
                        + " (removed, or never placed here)");
                return;
            }
            if (slot.queue.isEmpty() && ResourceIndex.fits(work.demand, slot.available)) {
                admit(work, slot);
            } else {
                bundles.enqueue(slot, work);
            }
            return;
        }
        if (queue.isEmpty() && ResourceIndex.fits(work.demand, available)) {
            admit(work, null);
        } else {
            queue.add(work);
            queued.incrementAndGet();
            dirty = true;
            // Another node may have freed room while this work was on its way here: it told the nodes whose
            // snapshots showed queued work then, which did not include this one. Look once on arrival.
            spillCheck.set(true);
        }
    }

    private void admit(Work queuedWork, BundleSlot slot) {
        Work work = queuedWork.holder();
        take(work, slot);
        work.heldIn = slot;
        work.holding = true;
        work.blocked = false;
        work.lease = ++leases;
        running.link(work);
        work.start(this, work.lease);
    }

    /**
     * For a worker that just finished a task under its lease: the next queued work with the same demand, which
     * then runs under that same lease (resources change hands without a trip through the loop, as a Ray worker
     * lease is reused). Null when the head of the queue is anything else. Any thread.
     */
    public Work takeNextLike(double[] demand) {
        if (!alive) {
            return null;
        }
        Work head;
        while ((head = queue.peek()) != null && head.isCancelled()) {
            if (queue.remove(head)) {
                queued.decrementAndGet();
            }
        }
        if (head == null || !head.reusesLease() || (head.demand != demand && !Arrays.equals(head.demand, demand))) {
            return null;
        }
        if (queue.remove(head)) {
            queued.decrementAndGet();
            return head;
        }
        return null;
    }

    private void take(Work work, BundleSlot slot) {
        ResourceIndex.subtract(slot != null ? slot.available : available, work.demand);
        dirty = true;
    }

    private void giveBack(Work work) {
        BundleSlot slot = work.heldIn;
        if (slot != null) {
            if (bundles.holds(slot.groupId)) {
                ResourceIndex.add(slot.available, work.demand);
            }
        } else {
            ResourceIndex.add(available, work.demand);
            freed = true;
        }
        dirty = true;
    }

    private void release(Work work, long lease) {
        if (!work.holding || work.lease != lease) {
            return;
        }
        if (!work.blocked) {
            giveBack(work);
        }
        work.holding = false;
        work.blocked = false;
        work.heldIn = null;
        running.unlink(work);
    }

    private void drain() {
        boolean maySpill = spillCheck.getAndSet(false);
        Work head;
        while ((head = queue.peek()) != null) {
            if (head.isCancelled()) {
                if (queue.remove(head)) {
                    queued.decrementAndGet();
                }
                dirty = true;
                continue;
            }
            if (!ResourceIndex.fits(head.demand, available)) {
                if (maySpill && spill(head)) {
                    continue;
                }
                break;
            }
            if (queue.remove(head)) {
                queued.decrementAndGet();
                dirty = true;
                admit(head, null);
            }
        }
        bundles.drain(this::admit);
    }

    /** Sends the blocked queue head to a node that fits it now, if there is one; whether it did. */
    private boolean spill(Work head) {
        NodeScheduler target = spillback.target(head, this);
        if (target == null || target == this || !queue.remove(head)) {
            return false;
        }
        queued.decrementAndGet();
        dirty = true;
        target.forward(head);
        return true;
    }

    /**
     * Work spilled from another node's loop: counted in this node's placement view at once (so the next spill
     * decision sees it), published from a virtual thread (a loop never blocks on another node's ring).
     */
    private void forward(Work work) {
        dismissIdle();
        inbound.charge(work.demand);
        Thread.ofVirtual().name("weft-spill-" + nodeId).start(() -> publish(SUBMIT, work, 1, null));
    }

    // ---- loop-only operations, called through run(...) -----------------------------------------------------

    /** Reserves bundles {@code indexes} of a group, all or nothing. Loop only. */
    public boolean reserveBundles(String groupId, int bundleCount, int[] indexes, double[][] demands) {
        if (!alive) {
            return false;
        }
        double[] sum = NodeBundles.sum(demands, total.length);
        if (sum == null || !ResourceIndex.fits(sum, available)) {
            return false;
        }
        ResourceIndex.subtract(available, sum);
        bundles.add(groupId, bundleCount, indexes, demands, total.length);
        dirty = true;
        return true;
    }

    /** Frees a group's bundles on this node; queued work in them is rejected, running work keeps going. Loop only. */
    public void releaseBundles(String groupId, String reason) {
        release(bundles.remove(groupId), reason);
    }

    /** Frees bundles {@code indexes} of a group on this node (a rolled-back partial reservation). Loop only. */
    public void releaseBundles(String groupId, String reason, int[] indexes) {
        release(bundles.remove(groupId, indexes), reason);
    }

    private void release(BundleSlot[] slots, String reason) {
        if (slots == null) {
            return;
        }
        java.util.Set<BundleSlot> gone = NodeBundles.close(slots, reason, alive ? available : null);
        for (Work w : running.matching(w -> w.heldIn != null && gone.contains(w.heldIn))) {
            w.heldIn = null;
            w.blocked = true; // its resources went back with the bundle: nothing to return when it ends
        }
        dirty = true;
    }

    /** Every running work. Loop only. */
    public List<Work> runningWork() {
        return running.all();
    }

    /** Removes and returns every queued work (the runtime is closing). Loop only. */
    public List<Work> drainQueued() {
        List<Work> out = new ArrayList<>(queue);
        queue.clear();
        queued.set(0);
        out.addAll(bundles.takeQueued());
        dirty = true;
        return out;
    }

    /** Running work in a group's bundles on this node. Loop only. */
    public List<Work> runningInGroup(String groupId) {
        return running.matching(w -> groupId.equals(w.groupId));
    }

    /**
     * The node dies: it stops admitting, and every running and queued work is told so. The store is left to
     * the caller, who must mark lost objects before dropping it. Loop only.
     */
    public void die() {
        alive = false;
        idle.dismissAll();
        List<Work> wasRunning = running.all();
        for (Work w : wasRunning) {
            w.holding = false;
            running.unlink(w);
        }
        List<Work> queued = new ArrayList<>(queue);
        queue.clear();
        this.queued.set(0);
        queued.addAll(bundles.takeQueued());
        bundles.clear();
        Arrays.fill(available, 0);
        dirty = true;
        for (Work w : wasRunning) {
            w.abandoned(this, true);
        }
        for (Work w : queued) {
            if (!w.isCancelled()) {
                w.abandoned(this, false);
            }
        }
    }

    /** Stops the loop and waits for its thread. */
    public void shutdown() {
        alive = false;
        disruptor.halt();
        Thread t = loopThread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A slot of the ring. */
    public static final class Event {
        byte kind;
        Work work;
        long value;
        Object payload;
    }
}

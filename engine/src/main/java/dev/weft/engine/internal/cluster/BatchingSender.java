package dev.weft.engine.internal.cluster;

import com.google.protobuf.MessageLite;
import io.grpc.stub.CallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The sending half of a long-lived gRPC stream that carries items in batches: any thread may {@link #add} an item;
 * one drainer at a time sends whatever is queued as one message per batch, and only while the transport is ready
 * (gRPC flow control: when it is not, items wait until its on-ready callback). No timer: a lone item leaves at once,
 * items queued while a batch is being sent go together in the next. The drain runs on the adding thread when the
 * caller says it may ({@code inline}: a thread of its own, or a lone call that should not pay a thread hop), else
 * on a virtual thread, so that a caller adding in a loop is not held up and its items pile into batches. Thread-safe.
 *
 * @param <T> an item
 * @param <B> a batch of items, the stream's message
 */
final class BatchingSender<T extends MessageLite, B> {
    /** Caps on one batch, far below the transport's message limit, so one big batch never holds up the rest. */
    static final int MAX_ITEMS = 2048;
    static final int MAX_BYTES = 4 << 20;

    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    /** Set while a drain is scheduled or running; the single-writer guard of {@link #out}. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final Function<List<T>, B> batch;
    private final Executor drainer;
    private volatile CallStreamObserver<B> out;
    private volatile boolean stopped;
    private volatile boolean completeWhenDrained;

    BatchingSender(Function<List<T>, B> batch) {
        this(batch, Thread::startVirtualThread);
    }

    /** With {@code drainer} running the drains that are not inline (tests pass one they run by hand). */
    BatchingSender(Function<List<T>, B> batch, Executor drainer) {
        this.batch = batch;
        this.drainer = drainer;
    }

    /** The stream to send on; items added before it is attached wait for it. */
    void attach(CallStreamObserver<B> stream) {
        this.out = stream;
        ready();
    }

    void add(T item, boolean inline) {
        if (stopped) {
            return;
        }
        queue.add(item);
        if (inline && out != null && draining.compareAndSet(false, true)) {
            drain(true);
        } else {
            ready();
        }
    }

    /** The transport can take more (its on-ready callback), or an item arrived: drain unless a drain is under way. */
    void ready() {
        if (!stopped && out != null && (!queue.isEmpty() || completeWhenDrained) && draining.compareAndSet(false, true)) {
            // a hop off the caller's thread: what callers queue while the drainer starts goes in the same batch
            drainer.execute(() -> drain(false));
        }
    }

    /** Drops what is queued and sends nothing more (the stream ended or broke). */
    void stop() {
        stopped = true;
        queue.clear();
    }

    /** Half-closes the stream once everything queued so far is sent. */
    void completeWhenDrained() {
        completeWhenDrained = true;
        ready();
    }

    /** Sends what is queued; {@code inline}: on a caller's thread, which passes on what arrives meanwhile. */
    private void drain(boolean inline) {
        CallStreamObserver<B> stream = out;
        for (;;) {
            try {
                while (!stopped && stream.isReady() && !queue.isEmpty()) {
                    List<T> items = new ArrayList<>(Math.min(MAX_ITEMS, 64));
                    long bytes = 0;
                    T item;
                    // peek, then poll: this drainer is the queue's only consumer. A big item goes in a batch of its
                    // own, so a batch passes the cap only by being one item (which the sender checked against the
                    // transport's limit)
                    while (items.size() < MAX_ITEMS && (item = queue.peek()) != null
                            && (items.isEmpty() || bytes + item.getSerializedSize() <= MAX_BYTES)) {
                        queue.poll();
                        items.add(item);
                        bytes += item.getSerializedSize();
                    }
                    stream.onNext(batch.apply(items));
                    if (inline) {
                        break; // the caller has its own work: what piles up meanwhile goes on a drainer's thread
                    }
                }
                if (!stopped && completeWhenDrained && queue.isEmpty()) {
                    stopped = true;
                    stream.onCompleted();
                }
            } catch (RuntimeException e) {
                // the call was cancelled or closed under us: its own callbacks report the loss
                stop();
            } finally {
                draining.set(false);
            }
            // an item queued (or the stream turned ready) after the last look, with no drainer scheduled for it
            if (stopped || queue.isEmpty() || !stream.isReady()) {
                return;
            }
            if (inline) {
                ready();
                return;
            }
            if (!draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}

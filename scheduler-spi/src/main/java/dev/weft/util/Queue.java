package dev.weft.util;

import dev.weft.api.ActorCreator;
import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A first-in first-out queue shared by tasks and actors, as Ray's {@code ray.util.queue.Queue}: an actor holds the
 * items, and this handle (which may be passed to tasks and actors) calls it.
 *
 * <pre>{@code
 * Queue<String> q = Queue.create(weft, 100);          // at most 100 items; 0 means unbounded
 * weft.task(Producer::run, q).remote();               // the task calls q.put(...)
 * String first = q.get(Duration.ofSeconds(5));        // QueueEmptyException after 5 s
 * q.shutdown();
 * }</pre>
 *
 * {@code put} blocks while the queue is full, {@code get} while it is empty: for ever, for a timeout (then
 * {@link QueueFullException} / {@link QueueEmptyException}), or not at all (the {@code Nowait} forms). Items are
 * copied in and out, as every value passed to an actor is. Thread-safe. Calls on a queue that was shut down, or
 * whose actor died, fail with {@link ActorDiedException} naming the queue. Items put by one caller come out in
 * that order, except for {@link #putAsync} calls, which may land in any order among themselves.
 */
public final class Queue<T> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Blocked calls wait inside the actor, each holding one of its concurrent call slots. */
    static final int CONCURRENT_CALLS = 1000;

    private final ActorHandle<QueueActor> actor;
    private final int maxSize;

    private Queue(ActorHandle<QueueActor> actor, int maxSize) {
        this.actor = actor;
        this.maxSize = maxSize;
    }

    /** An unbounded queue. */
    public static <T> Queue<T> create(Weft weft) {
        return create(weft, 0);
    }

    /** A queue of at most {@code maxSize} items ({@code 0}: unbounded). */
    public static <T> Queue<T> create(Weft weft, int maxSize) {
        return create(weft, maxSize, c -> { });
    }

    /**
     * A queue of at most {@code maxSize} items whose actor is further configured by {@code actorOptions} (a name,
     * {@code detached()}, a scheduling strategy, ...). The actor holds no CPU by default.
     */
    @SuppressWarnings("unchecked")
    public static <T> Queue<T> create(Weft weft, int maxSize, Consumer<ActorCreator<?>> actorOptions) {
        if (weft == null) {
            throw new IllegalArgumentException("weft must not be null");
        }
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0 (0: unbounded), got " + maxSize);
        }
        ActorCreator<QueueActor> creator = weft.actor(QueueActor::new, maxSize).numCpus(0)
                .maxConcurrency(CONCURRENT_CALLS);
        actorOptions.accept(creator);
        return new Queue<>(creator.remote(), maxSize);
    }

    /** The bound given at creation; {@code 0} for an unbounded queue. */
    public int maxSize() {
        return maxSize;
    }

    /** How many items the queue holds now. */
    public int size() {
        return call(() -> actor.task(QueueActor::size).remote().get());
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Whether a bounded queue holds {@code maxSize} items now; never for an unbounded one. */
    public boolean isFull() {
        return maxSize > 0 && size() >= maxSize;
    }

    /** Adds {@code item}, waiting as long as it takes for room. */
    public void put(T item) {
        put(item, null);
    }

    /**
     * Adds {@code item}, waiting up to {@code timeout} for room ({@code null}: for ever).
     *
     * @throws QueueFullException when there was no room in time
     */
    public void put(T item, Duration timeout) {
        long nanos = QueueActor.nanos(checked(timeout));
        if (!call(() -> actor.task(QueueActor::offer, boxed(item), nanos).remote().get())) {
            throw new QueueFullException(describe() + " stayed full (" + maxSize + " items) for " + timeout);
        }
    }

    /** Adds {@code item} now. @throws QueueFullException when the queue is full */
    public void putNowait(T item) {
        if (!call(() -> actor.task(QueueActor::offer, boxed(item), 0L).remote().get())) {
            throw new QueueFullException(describe() + " is full (" + maxSize + " items)");
        }
    }

    /** Adds all of {@code items} now, or none. @throws QueueFullException when they do not all fit */
    public void putNowaitBatch(List<? extends T> items) {
        List<Object> copy = List.copyOf(items);
        if (!call(() -> actor.task(QueueActor::offerAll, copy).remote().get())) {
            throw new QueueFullException(describe() + " has no room for " + copy.size() + " more items (at most "
                    + maxSize + ")");
        }
    }

    /**
     * Submits a {@code put} that waits for room as long as it takes, and returns at once; the ref is ready once the
     * item is in (or fails with {@link ActorDiedException}).
     */
    public ObjectRef<Void> putAsync(T item) {
        return call(() -> actor.task(QueueActor::put, boxed(item), -1L).remote());
    }

    /** Removes and returns the oldest item, waiting as long as it takes for one. */
    public T get() {
        return get(null);
    }

    /**
     * Removes and returns the oldest item, waiting up to {@code timeout} ({@code null}: for ever).
     *
     * @throws QueueEmptyException when no item came in time
     */
    @SuppressWarnings("unchecked")
    public T get(Duration timeout) {
        long nanos = QueueActor.nanos(checked(timeout));
        List<Object> one = call(() -> actor.task(QueueActor::poll, nanos).remote().get());
        if (one.isEmpty()) {
            throw new QueueEmptyException(describe() + " stayed empty for " + timeout);
        }
        return (T) one.get(0);
    }

    /** Removes and returns the oldest item now. @throws QueueEmptyException when the queue is empty */
    @SuppressWarnings("unchecked")
    public T getNowait() {
        List<Object> one = call(() -> actor.task(QueueActor::poll, 0L).remote().get());
        if (one.isEmpty()) {
            throw new QueueEmptyException(describe() + " is empty");
        }
        return (T) one.get(0);
    }

    /** Removes and returns the {@code n} oldest items now, or none. @throws QueueEmptyException when fewer are there */
    @SuppressWarnings("unchecked")
    public List<T> getNowaitBatch(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        List<Object> got = call(() -> actor.task(QueueActor::pollBatch, n).remote().get());
        if (got.size() < n) {
            throw new QueueEmptyException(describe() + " holds fewer than the " + n + " items asked for");
        }
        return (List<T>) List.copyOf(got);
    }

    /**
     * Submits a {@code get} that waits as long as it takes for an item, and returns at once with a ref to the item.
     */
    @SuppressWarnings("unchecked")
    public ObjectRef<T> getAsync() {
        return call(() -> (ObjectRef<T>) (ObjectRef<?>) actor.task(QueueActor::take, -1L).remote());
    }

    /**
     * Kills the queue's actor: items still in it are lost, and calls waiting in it (and every later call, from any
     * copy of this handle) fail with {@link ActorDiedException}. Idempotent.
     */
    public void shutdown() {
        Weft.current().kill(actor);
    }

    /** The queue's actor, for the state API and for {@code weft.kill}. */
    public ActorHandle<?> actor() {
        return actor;
    }

    private String describe() {
        return "queue " + (actor.name() != null ? "'" + actor.name() + "' " : "") + "(actor " + actor.actorId() + ")";
    }

    private static List<Object> boxed(Object item) {
        List<Object> one = new ArrayList<>(1);
        one.add(item);
        return one;
    }

    private static Duration checked(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        return timeout;
    }

    private <R> R call(Supplier<R> body) {
        try {
            return body.get();
        } catch (ActorDiedException e) {
            throw new ActorDiedException(describe() + " is gone (shut down, killed, or its node died): "
                    + e.getMessage(), e);
        }
    }
}

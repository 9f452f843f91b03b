package dev.weft.util;

import dev.weft.api.ActorDiedException;
import dev.weft.api.ActorHandle;
import dev.weft.api.GetTimeoutException;
import dev.weft.api.ObjectRef;
import dev.weft.api.WaitResult;
import dev.weft.api.Weft;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Work spread over a fixed set of actors, as Ray's {@code ray.util.ActorPool}: each value is handed to an idle
 * actor by a function that calls it ({@code (actor, v) -> actor.task(Model::predict, v).remote()}); values wait
 * in submission order while every actor is busy; an actor is idle again once its result has been taken.
 *
 * <pre>{@code
 * ActorPool<Model> pool = new ActorPool<>(weft, List.of(m1, m2));
 * Iterator<Double> scores = pool.map((m, x) -> m.task(Model::predict, x).remote(), inputs);   // in input order
 * }</pre>
 *
 * <b>Not thread-safe:</b> one thread drives a pool. Results are taken with {@link #getNext()} (submission order)
 * or {@link #getNextUnordered()} (completion order). A call that fails rethrows its error from the {@code get}
 * that takes it; an actor whose call failed with {@link ActorDiedException} leaves the pool, and its waiting
 * values go to the others. The pool does not own its actors: killing them is the caller's business.
 */
public final class ActorPool<A> {
    private final Weft weft;
    private final Deque<ActorHandle<A>> idle = new ArrayDeque<>();
    private final Map<Integer, ObjectRef<?>> byIndex = new HashMap<>();
    private final Map<ObjectRef<?>, Busy<A>> inFlight = new LinkedHashMap<>();
    private final Deque<Pending<A, ?>> pending = new ArrayDeque<>();
    private int size;
    private int nextIndex;
    private int nextReturn;

    private record Busy<A>(int index, ActorHandle<A> actor) {
    }

    private record Pending<A, V>(BiFunction<ActorHandle<A>, V, ? extends ObjectRef<?>> fn, V value) {
    }

    /** A pool over {@code actors} (at least one), all idle. */
    public ActorPool(Weft weft, List<? extends ActorHandle<A>> actors) {
        if (weft == null) {
            throw new IllegalArgumentException("weft must not be null");
        }
        if (actors == null || actors.isEmpty()) {
            throw new IllegalArgumentException("an ActorPool needs at least one actor, got " + (actors == null ? "null" : "none"));
        }
        this.weft = weft;
        for (ActorHandle<A> a : actors) {
            push(a);
        }
    }

    /**
     * Applies {@code fn} to every value on the pool's actors; the results come in the order of {@code values}.
     * Submits as actors free up while the iterator is consumed; {@code next()} blocks for the next result.
     * Results already waiting in the pool must be taken first.
     */
    public <V, R> Iterator<R> map(BiFunction<ActorHandle<A>, V, ObjectRef<R>> fn, Iterable<V> values) {
        return results(fn, values, true);
    }

    /** Like {@link #map}, with the results in the order they complete. */
    public <V, R> Iterator<R> mapUnordered(BiFunction<ActorHandle<A>, V, ObjectRef<R>> fn, Iterable<V> values) {
        return results(fn, values, false);
    }

    private <V, R> Iterator<R> results(BiFunction<ActorHandle<A>, V, ObjectRef<R>> fn, Iterable<V> values, boolean ordered) {
        if (hasNext()) {
            throw new IllegalStateException("the pool still holds " + (inFlight.size() + pending.size())
                    + " results from earlier submissions; take them with getNext() before map");
        }
        for (V v : values) {
            submit(fn, v);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return ActorPool.this.hasNext();
            }

            @Override
            public R next() {
                return ordered ? getNext() : getNextUnordered();
            }
        };
    }

    /** Calls {@code fn} on an idle actor with {@code value} now, or queues the value until an actor is free. */
    public <V> void submit(BiFunction<ActorHandle<A>, V, ? extends ObjectRef<?>> fn, V value) {
        if (fn == null) {
            throw new IllegalArgumentException("fn must not be null");
        }
        ActorHandle<A> actor = idle.pollFirst();
        if (actor == null) {
            pending.addLast(new Pending<>(fn, value));
            return;
        }
        ObjectRef<?> ref = fn.apply(actor, value);
        if (ref == null) {
            idle.addFirst(actor);
            throw new IllegalArgumentException("the pool's function returned null for " + value + "; it must return the"
                    + " ref of the actor call it made");
        }
        int index = nextIndex++;
        byIndex.put(index, ref);
        inFlight.put(ref, new Busy<>(index, actor));
    }

    /** Whether results remain to be taken (running or waiting for an actor). */
    public boolean hasNext() {
        return !inFlight.isEmpty() || !pending.isEmpty();
    }

    /** The next result in submission order; blocks until it is ready. */
    public <R> R getNext() {
        return getNext(null);
    }

    /**
     * The next result in submission order.
     *
     * @throws NoSuchElementException when nothing was submitted that has not been taken
     * @throws GetTimeoutException    when it is not ready within {@code timeout} (it stays next)
     */
    @SuppressWarnings("unchecked")
    public <R> R getNext(Duration timeout) {
        checkHasNext();
        ObjectRef<?> ref = byIndex.get(nextReturn);
        if (ref == null) {
            throw new IllegalStateException("the next result in order was already taken by getNextUnordered();"
                    + " do not mix getNext and getNextUnordered");
        }
        if (timeout != null && weft.wait(List.of(ref), 1, timeout).getReady().isEmpty()) {
            throw new GetTimeoutException("the ActorPool's next result (submission " + nextReturn
                    + ") was not ready within " + timeout);
        }
        nextReturn++;
        return (R) take(ref);
    }

    /** The first result to complete; blocks until one is. */
    public <R> R getNextUnordered() {
        return getNextUnordered(null);
    }

    /**
     * The first result to complete.
     *
     * @throws NoSuchElementException when nothing was submitted that has not been taken
     * @throws GetTimeoutException    when none completes within {@code timeout}
     */
    @SuppressWarnings("unchecked")
    public <R> R getNextUnordered(Duration timeout) {
        checkHasNext();
        List<ObjectRef<Object>> running = new ArrayList<>();
        inFlight.keySet().forEach(r -> running.add((ObjectRef<Object>) r));
        WaitResult<Object> w = timeout == null ? weft.wait(running, 1, null) : weft.wait(running, 1, timeout);
        if (w.getReady().isEmpty()) {
            throw new GetTimeoutException("none of the ActorPool's " + running.size() + " running calls completed within "
                    + timeout);
        }
        ObjectRef<?> ref = w.getReady().get(0);
        Busy<A> busy = inFlight.get(ref);
        if (busy.index() == nextReturn) {
            nextReturn++;
        }
        return (R) take(ref);
    }

    /** Whether an actor is idle and no value waits for one. */
    public boolean hasFree() {
        return !idle.isEmpty() && pending.isEmpty();
    }

    /** Adds an actor; it takes a waiting value at once, if any. */
    public void push(ActorHandle<A> actor) {
        if (actor == null) {
            throw new IllegalArgumentException("actor must not be null");
        }
        boolean known = idle.contains(actor) || inFlight.values().stream().anyMatch(b -> b.actor().equals(actor));
        if (known) {
            throw new IllegalArgumentException("actor " + actor.actorId() + " is already in the pool");
        }
        size++;
        returnActor(actor);
    }

    /** Removes an idle actor from the pool and returns it; empty when every actor is busy. */
    public Optional<ActorHandle<A>> popIdle() {
        ActorHandle<A> a = idle.pollFirst();
        if (a != null) {
            size--;
        }
        return Optional.ofNullable(a);
    }

    /** How many actors the pool holds, busy or idle. */
    public int size() {
        return size;
    }

    private void checkHasNext() {
        if (!hasNext()) {
            throw new NoSuchElementException("the ActorPool has no more results: everything submitted was taken");
        }
        if (inFlight.isEmpty()) {
            throw new IllegalStateException("the ActorPool has " + pending.size() + " values waiting but no actors left"
                    + " to run them (the others died or were popped); push an actor");
        }
    }

    private Object take(ObjectRef<?> ref) {
        Busy<A> busy = inFlight.remove(ref);
        byIndex.remove(busy.index());
        Object value;
        try {
            value = ref.get();
        } catch (ActorDiedException e) {
            size--; // a dead actor takes no more work; what waits goes to the others
            throw e;
        } catch (RuntimeException e) {
            returnActor(busy.actor());
            throw e;
        }
        returnActor(busy.actor());
        return value;
    }

    @SuppressWarnings("unchecked")
    private void returnActor(ActorHandle<A> actor) {
        idle.addLast(actor);
        Pending<A, ?> next = pending.pollFirst();
        if (next != null) {
            submit((BiFunction<ActorHandle<A>, Object, ObjectRef<?>>) next.fn(), next.value());
        }
    }
}

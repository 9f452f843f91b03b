package dev.weft.data.internal.exec;

import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The hash tables of broadcast join build sides in this JVM, each built once and probed by every task of the stage
 * that runs here (a stage over 60 files would otherwise build the same table 60 times). A table is found by its
 * blocks' object ids, the join and the probe side's schema. Its memory is its own allocator's, not a task's.
 *
 * <p>Lifetime: the execution that planned the join {@link #release releases} its blocks' tables when it ends; a
 * table still probed then is freed when its last task returns it. Tables built in a JVM other than the driver's
 * hear of no release: once no task uses them they stay as idle tables, the least recently used freed first beyond
 * {@link #IDLE_BYTES}. A build side without blocks, or one whose blocks were released already (a task that starts
 * late), gets a table of the task's own, freed with the task. Thread-safe.
 */
final class BroadcastTables {
    /** Idle tables (no task probing them, no release heard) kept in this JVM, by their build bytes. */
    static final long IDLE_BYTES = 64L << 20;

    private static final Map<Key, Entry> TABLES = new LinkedHashMap<>(16, 0.75f, true);
    /** The most recently released block ids (a bounded memory), so that a late task does not share a new table. */
    private static final Map<String, Boolean> RELEASED = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 4096;
        }
    };
    private static final java.util.concurrent.atomic.AtomicLong BUILDS = new java.util.concurrent.atomic.AtomicLong();

    private BroadcastTables() {
    }

    /** What identifies a built table: the build side's blocks, the join, the probe side's columns. */
    record Key(List<String> blockIds, JoinSpec spec, String probeSchemaJson) {
    }

    /** A task's use of a table; closing it returns the table. */
    interface Lease extends AutoCloseable {
        HashJoin join();

        @Override
        void close();
    }

    private static final class Entry {
        final Key key;
        int users;
        boolean released;
        HashJoin join;
        BufferAllocator allocator;
        long bytes;

        Entry(Key key) {
            this.key = key;
        }
    }

    /**
     * The table of {@code key}, built by {@code build} (with the allocator to build it in) if no task of this JVM
     * has built it yet; concurrent first users wait for one build.
     */
    static Lease acquire(Key key, Function<BufferAllocator, HashJoin> build, BufferAllocator taskAllocator) {
        Entry e;
        synchronized (BroadcastTables.class) {
            if (key.blockIds().isEmpty() || key.blockIds().stream().anyMatch(RELEASED::containsKey)) {
                e = null;
            } else {
                e = TABLES.computeIfAbsent(key, Entry::new);
                e.users++;
            }
        }
        if (e == null) {
            // No blocks to name the table by, or a task that starts after its job released them (a late or retried
            // one): a table of the task's own, as nothing would ever release a shared one.
            HashJoin own = build.apply(taskAllocator);
            return new Lease() {
                @Override
                public HashJoin join() {
                    return own;
                }

                @Override
                public void close() {
                    own.close();
                }
            };
        }
        try {
            synchronized (e) {
                if (e.join == null) {
                    BufferAllocator allocator = DataAllocators.child("broadcast-table");
                    try {
                        e.join = build.apply(allocator);
                        BUILDS.incrementAndGet();
                    } catch (RuntimeException | Error failure) {
                        allocator.close();
                        throw failure;
                    }
                    e.allocator = allocator;
                    e.bytes = allocator.getAllocatedMemory();
                }
            }
        } catch (RuntimeException | Error failure) {
            giveBack(e);
            throw failure;
        }
        Entry entry = e;
        return new Lease() {
            private boolean closed;

            @Override
            public HashJoin join() {
                return entry.join;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    giveBack(entry);
                }
            }
        };
    }

    private static void giveBack(Entry e) {
        List<Entry> free = new ArrayList<>();
        synchronized (BroadcastTables.class) {
            e.users--;
            if (e.users == 0 && (e.released || e.join == null)) {
                if (TABLES.get(e.key) == e) {
                    TABLES.remove(e.key);
                }
                free.add(e);
            }
            trimIdle(free);
        }
        free.forEach(BroadcastTables::free);
    }

    /** Frees the tables built on any of these blocks once no task uses them (at once when none does). */
    static void release(Collection<String> blockIds) {
        if (blockIds.isEmpty()) {
            return;
        }
        Set<String> ids = new HashSet<>(blockIds);
        List<Entry> free = new ArrayList<>();
        synchronized (BroadcastTables.class) {
            ids.forEach(id -> RELEASED.put(id, Boolean.TRUE));
            var it = TABLES.values().iterator();
            while (it.hasNext()) {
                Entry e = it.next();
                if (e.key.blockIds().stream().anyMatch(ids::contains)) {
                    it.remove();
                    e.released = true;
                    if (e.users == 0) {
                        free.add(e);
                    }
                }
            }
        }
        free.forEach(BroadcastTables::free);
    }

    /** Under the class lock: idle tables past {@link #IDLE_BYTES}, least recently used first, out of the map. */
    private static void trimIdle(List<Entry> free) {
        long idle = 0;
        for (Entry e : TABLES.values()) {
            if (e.users == 0) {
                idle += e.bytes;
            }
        }
        var it = TABLES.values().iterator();
        while (idle > IDLE_BYTES && it.hasNext()) {
            Entry e = it.next();
            if (e.users == 0) {
                it.remove();
                idle -= e.bytes;
                free.add(e);
            }
        }
    }

    private static void free(Entry e) {
        synchronized (e) {
            if (e.join != null) {
                e.join.close();
                e.join = null;
            }
            if (e.allocator != null) {
                e.allocator.close();
                e.allocator = null;
            }
        }
    }

    /** How many tables this JVM has built since it started (for tests). */
    static long builds() {
        return BUILDS.get();
    }

    /** How many tables this JVM holds (for tests). */
    static synchronized int size() {
        return TABLES.size();
    }
}

package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.kernels.ChunkedJoin;
import dev.weft.data.internal.kernels.GroupByExchange;
import dev.weft.data.internal.kernels.HashAggregator;
import dev.weft.data.internal.kernels.HeavyKeys;
import dev.weft.data.internal.kernels.JoinExchange;
import dev.weft.data.internal.kernels.JoinSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The task functions of the streaming exchanges ({@link StreamingAggregation}, {@link StreamingHashJoin}). Refs in
 * arguments that a task must see as refs (not values) travel in lists. Every batch a task makes is closed or put
 * before it returns; every ref it returns is owned by the driver.
 */
public final class StreamingTasks {
    /** Rows a sampling task draws from a probe block to find heavy keys. */
    static final int KEY_SAMPLE_ROWS = 1024;

    private StreamingTasks() {
    }

    /**
     * The non-empty pieces one map task produced: {@code refs.get(i)} goes to reducer {@code reducerOf[i]} and
     * holds {@code bytes[i]} bytes. {@code schemaJson} is the map's input schema.
     */
    public record MapPieces(List<ObjectRef<VectorSchemaRoot>> refs, int[] reducerOf, long[] bytes, String schemaJson)
            implements Serializable {
    }

    /** A streaming group-by reducer's step: its new partial state (null after the last step) and its output. */
    public record Merged(ObjectRef<VectorSchemaRoot> state, long stateBytes, List<BlockRef> blocks)
            implements Serializable {
    }

    public static MapPieces groupMap(BlockRef input, Exchange.GroupBy g, Integer reducers) {
        try (BufferAllocator allocator = DataAllocators.child("GroupByMap");
             VectorSchemaRoot block = input.ref().get()) {
            input.ref().close();
            String raw = GroupByExchange.partialInputSchema(block.getSchema());
            return put(GroupByExchange.map(block, g.keys(), g.aggregates(), reducers, true, allocator),
                    raw != null ? raw : block.getSchema().toJson());
        }
    }

    /**
     * Folds {@code stateAndPieces} (the reducer's previous state first, if any) into a new partial state; with
     * {@code last}, into the final groups, stored as blocks. Reads one piece at a time, so that a step pins (and
     * keeps from spilling) only the piece it is folding.
     */
    public static Merged groupMerge(List<ObjectRef<VectorSchemaRoot>> stateAndPieces, Exchange.GroupBy g,
                                    String schemaJson, Boolean last, DataContext context) throws Exception {
        HashAggregator reducer = GroupByExchange.reducer(Schema.fromJSON(schemaJson), g.keys(), g.aggregates());
        for (ObjectRef<VectorSchemaRoot> p : stateAndPieces) {
            try (VectorSchemaRoot piece = p.get()) {
                GroupByExchange.fold(reducer, piece);
            }
        }
        try (BufferAllocator allocator = DataAllocators.child("GroupByMerge")) {
            if (last) {
                return new Merged(null, 0, AllToAllOperator.store(List.of(reducer.result(allocator)), context, allocator));
            }
            try (VectorSchemaRoot state = reducer.partialResult(allocator)) {
                return new Merged(Weft.current().put(state), Batches.sizeBytes(state), List.of());
            }
        }
    }

    /** Key columns of a random sample of {@code input}'s rows, put for the driver. */
    public static ObjectRef<VectorSchemaRoot> keySample(BlockRef input, List<String> keys, Integer blockIndex) {
        try (BufferAllocator allocator = DataAllocators.child("KeySample");
             VectorSchemaRoot block = input.ref().get();
             VectorSchemaRoot sample = HeavyKeys.sampleKeys(block, keys, KEY_SAMPLE_ROWS,
                     blockIndex, allocator)) {
            return Weft.current().put(sample);
        }
    }

    /**
     * Splits a build-side block by key hash; rows of the heavy keys in {@code heavy} (an empty list: none), a batch
     * whose columns are named {@code heavyKeys}, are copied to every reducer.
     */
    public static MapPieces joinBuildMap(BlockRef input, List<String> keys, Integer reducers,
                                         List<ObjectRef<VectorSchemaRoot>> heavy, List<String> heavyKeys) {
        try (BufferAllocator allocator = DataAllocators.child("JoinBuildMap");
             VectorSchemaRoot block = input.ref().get()) {
            return put(JoinExchange.mapBuild(block, keys, reducers, heavyKeys(heavy, heavyKeys), allocator),
                    block.getSchema().toJson());
        }
    }

    /** Splits a probe-side block by key hash, spreading the rows of heavy keys over every reducer. */
    public static MapPieces joinProbeMap(BlockRef input, List<String> keys, Integer reducers,
                                         List<ObjectRef<VectorSchemaRoot>> heavy, Long seed) {
        try (BufferAllocator allocator = DataAllocators.child("JoinProbeMap");
             VectorSchemaRoot block = input.ref().get()) {
            return put(JoinExchange.mapProbe(block, keys, reducers, heavyKeys(heavy, keys), seed, allocator),
                    block.getSchema().toJson());
        }
    }

    /**
     * Joins one reducer's build pieces with a run of its probe pieces, the build side a chunk of at most
     * {@code chunkBytes} at a time ({@link ChunkedJoin}). The driver streams only join types whose build side keeps
     * no unmatched rows, so probe tasks of one reducer share nothing.
     */
    public static List<BlockRef> joinProbe(List<ObjectRef<VectorSchemaRoot>> buildPieces,
                                           List<ObjectRef<VectorSchemaRoot>> probePieces, JoinSpec spec,
                                           List<String> schemas, Long chunkBytes, DataContext context) throws Exception {
        return join(buildPieces, probePieces, spec, schemas, chunkBytes, context, "JoinProbe");
    }

    /** Tasks run that joined their build side in more than one chunk (in this JVM), for tests and stats. */
    private static final java.util.concurrent.atomic.AtomicLong CHUNKED_JOINS = new java.util.concurrent.atomic.AtomicLong();

    /** Join tasks run in this JVM that made their hash table in more than one chunk. */
    public static long chunkedJoins() {
        return CHUNKED_JOINS.get();
    }

    /** A hash join of pieces in the store, its output stored as blocks as it comes. */
    static List<BlockRef> join(List<ObjectRef<VectorSchemaRoot>> buildPieces,
                               List<ObjectRef<VectorSchemaRoot>> probePieces, JoinSpec spec, List<String> schemas,
                               long chunkBytes, DataContext context, String name) throws Exception {
        try (BufferAllocator allocator = DataAllocators.child(name)) {
            BlockOutput out = new BlockOutput(Weft.current(), context, allocator, List.of());
            try {
                int chunks = ChunkedJoin.run(spec, Schema.fromJSON(schemas.get(0)), Schema.fromJSON(schemas.get(1)),
                        input(buildPieces), input(probePieces), chunkBytes, 64 * 1024, allocator, out::add);
                if (chunks > 1) {
                    CHUNKED_JOINS.incrementAndGet();
                }
                out.flush();
                return new ArrayList<>(out.blocks());
            } catch (Exception | Error e) {
                out.discard();
                throw e;
            }
        }
    }

    private static ChunkedJoin.Input input(List<ObjectRef<VectorSchemaRoot>> pieces) {
        return new ChunkedJoin.Input() {
            @Override
            public int size() {
                return pieces.size();
            }

            @Override
            public VectorSchemaRoot open(int index) {
                return pieces.get(index).get();
            }
        };
    }

    private static HeavyKeys heavyKeys(List<ObjectRef<VectorSchemaRoot>> heavy, List<String> keys) {
        if (heavy.isEmpty()) {
            return null;
        }
        try (VectorSchemaRoot rows = heavy.getFirst().get()) {
            // every row of the batch is one heavy key: any positive fraction at most 1/rows finds them all again
            return HeavyKeys.detect(rows, keys, Double.MIN_VALUE);
        }
    }

    /** Puts the non-empty pieces (closing every piece), remembering which reducer each goes to. */
    private static MapPieces put(List<VectorSchemaRoot> pieces, String schemaJson) {
        Weft weft = Weft.current();
        List<ObjectRef<VectorSchemaRoot>> refs = new ArrayList<>();
        int[] reducerOf = new int[pieces.size()];
        long[] bytes = new long[pieces.size()];
        try {
            for (int r = 0; r < pieces.size(); r++) {
                VectorSchemaRoot p = pieces.get(r);
                if (p.getRowCount() > 0) {
                    reducerOf[refs.size()] = r;
                    bytes[refs.size()] = Math.max(1, Batches.sizeBytes(p));
                    refs.add(weft.put(p));
                }
            }
            int n = refs.size();
            return new MapPieces(refs, java.util.Arrays.copyOf(reducerOf, n), java.util.Arrays.copyOf(bytes, n), schemaJson);
        } catch (RuntimeException | Error e) {
            refs.forEach(ObjectRef::close);
            throw e;
        } finally {
            pieces.forEach(VectorSchemaRoot::close);
        }
    }
}

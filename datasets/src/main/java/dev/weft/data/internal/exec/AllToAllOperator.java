package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinExchange;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.JoinType;
import dev.weft.data.internal.kernels.ShuffleExchange;
import dev.weft.data.internal.kernels.SortExchange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The all-to-all operators, run through the object store: map tasks partition each input block into one piece per
 * reducer ({@code put}, refs returned), reducer tasks {@code get} their pieces, merge them with the kernel and
 * {@code put} output blocks. Group-by and (except full outer) joins stream: they pull their input blocks as the
 * byte budget allows and free each once mapped, their reducers start while mappers still run and the pieces in
 * flight stay within the budget ({@link StreamingAggregation}, {@link StreamingHashJoin}; a broadcast join runs one
 * task per left block as the blocks come). Sort and random shuffle are barriers (a reducer's first output row needs every
 * piece); the driver closes each piece ref as soon as its reducer finished, and on a failure waits for its tasks and
 * frees every sample, piece and output block they made. Every exchange starts again from its inputs when a node dies
 * under it, unless the node took inputs with it ({@link ExchangeAttempts}). Runs on the driver thread; blocking.
 */
public final class AllToAllOperator {
    /** Rows a map task samples from its block for the sort boundaries. */
    private static final int SAMPLE_ROWS = 256;
    private static final int MAX_REDUCERS = 64;

    private AllToAllOperator() {
    }

    /** The pieces one map task produced, one per reducer (index = reducer), and its input schema as JSON. */
    public record MapOutput(List<ObjectRef<VectorSchemaRoot>> pieces, String schemaJson) implements Serializable {
    }

    /**
     * Runs {@code exchange} over {@code inputs} (which the caller keeps owning) and returns the output blocks,
     * owned by the caller, in output order.
     */
    public static List<BlockRef> run(Weft weft, List<BlockRef> inputs, Exchange exchange, DataContext context) {
        List<BlockRef> nonEmpty = inputs.stream().filter(b -> b.numRows() > 0).toList();
        if (nonEmpty.isEmpty()) {
            return List.of();
        }
        return switch (exchange) {
            case Exchange.GroupBy g -> runGroupBy(weft, BlockSource.of(nonEmpty), nonEmpty.size(), g, context);
            // The barriers take every input block through the attempt's source, so that a failure naming one of them
            // as lost is known to have lost an input (which no new attempt can read again).
            case Exchange.Sort s -> ExchangeAttempts.run(weft, s.explain(), BlockSource.of(nonEmpty),
                    src -> sort(weft, takeAll(src), s, context));
            case Exchange.RandomShuffle r -> ExchangeAttempts.run(weft, r.explain(), BlockSource.of(nonEmpty),
                    src -> randomShuffle(weft, takeAll(src), r, context));
            case Exchange.Join j -> throw new IllegalArgumentException("operator " + j.explain()
                    + " has two inputs; use runJoin");
            case Exchange.Union u -> throw new IllegalArgumentException("operator " + u.explain()
                    + " moves no rows; the dataset concatenates its inputs' blocks");
        };
    }

    /**
     * A streaming group-by over the blocks {@code input} yields as the budget allows ({@code expectedBlocks} sizes the
     * reducer count; 0 if unknown). Output blocks are owned by the caller.
     */
    public static List<BlockRef> runGroupBy(Weft weft, BlockSource input, int expectedBlocks, Exchange.GroupBy g,
                                            DataContext context) {
        return runGroupBy(weft, input, expectedBlocks, g, context, ExchangeObserver.NONE);
    }

    /** {@link #runGroupBy(Weft, BlockSource, int, Exchange.GroupBy, DataContext)}, reporting to {@code observer}. */
    static List<BlockRef> runGroupBy(Weft weft, BlockSource input, int expectedBlocks, Exchange.GroupBy g,
                                     DataContext context, ExchangeObserver observer) {
        long budget = StreamingExecutor.exchangeBudget(weft, context);
        int cpus = clusterCpus(weft);
        int reducers = expectedBlocks > 0 ? Math.min(expectedBlocks, MAX_REDUCERS) : Math.min(2 * cpus, MAX_REDUCERS);
        return ExchangeAttempts.run(weft, g.explain(), input,
                src -> new StreamingAggregation(weft, g, context, budget, Math.max(1, reducers), 2 * cpus, observer)
                        .run(src));
    }

    private static List<BlockRef> takeAll(BlockSource source) {
        List<BlockRef> blocks = new ArrayList<>();
        while (source.hasNext()) {
            blocks.add(source.next());
        }
        return blocks;
    }

    static int clusterCpus(Weft weft) {
        double cpus = weft.nodes().stream().filter(dev.weft.api.NodeInfo::alive)
                .mapToDouble(n -> n.totalResources().getOrDefault("CPU", 0.0)).sum();
        return Math.max(1, (int) Math.ceil(cpus));
    }

    /**
     * Joins the blocks of {@code left} with those of {@code right}, pulled as the join needs them and each handed
     * back to its source once consumed; {@code leftSchema}/{@code rightSchema} give a side's schema when it has no
     * block (they may run its plan). Output blocks are owned by the caller.
     *
     * <p>What is read before the exchange starts: a broadcastable join type first reads the right side up to the
     * broadcast threshold (all of it, with the hint); an inner join reads both sides alternately until the smaller
     * one has ended (it becomes the build side, so the other side's prefix read is about as large). Everything else
     * streams: the build side through its map tasks, the probe side within the byte budget. Full outer joins are
     * barriers and read both sides whole.
     */
    public static List<BlockRef> runJoin(Weft weft, BlockSource left, Supplier<Schema> leftSchema, BlockSource right,
                                         Supplier<Schema> rightSchema, Exchange.Join j, DataContext context) {
        return runJoin(weft, left, leftSchema, right, rightSchema, j, context, ExchangeObserver.NONE);
    }

    /** {@link #runJoin(Weft, BlockSource, Supplier, BlockSource, Supplier, Exchange.Join, DataContext)}, reporting to
     * {@code observer} (the shuffled hash join's events; broadcast and full outer joins report nothing). */
    static List<BlockRef> runJoin(Weft weft, BlockSource left, Supplier<Schema> leftSchema, BlockSource right,
                                  Supplier<Schema> rightSchema, Exchange.Join j, DataContext context,
                                  ExchangeObserver observer) {
        return ExchangeAttempts.run(weft, j.explain(), List.of(left, right), sides -> {
            LookaheadSource l = new LookaheadSource(sides.get(0), leftSchema);
            LookaheadSource r = new LookaheadSource(sides.get(1), rightSchema);
            try {
                return joinAttempt(weft, l, r, j, context, observer);
            } finally {
                l.releaseAhead();
                r.releaseAhead();
            }
        });
    }

    private static List<BlockRef> joinAttempt(Weft weft, LookaheadSource l, LookaheadSource r, Exchange.Join j,
                                              DataContext context, ExchangeObserver observer) {
        JoinType type = j.spec().type();
        if (type == JoinType.FULL_OUTER) {
            // Each reducer needs both sides' whole partitions (the unmatched rows of both are output).
            readAll(l);
            readAll(r);
            return barrierJoin(weft, l.ahead(), r.ahead(), l.schemaJson(), r.schemaJson(), j, context);
        }
        long budget = StreamingExecutor.exchangeBudget(weft, context);
        int maxTasks = 2 * clusterCpus(weft);
        if (j.broadcastable()) {
            long threshold = broadcastThreshold(weft, j, context);
            while ((j.broadcast() || r.aheadBytes() <= threshold) && r.pullAhead()) {
                // the right side may still be small enough to broadcast
            }
            if (r.ended() && (j.broadcast() || r.aheadBytes() <= threshold)) {
                return streamBroadcast(weft, l, r, j, context, budget, maxTasks);
            }
        }
        // INNER may build on either side: the smaller one, so that probe tasks rebuild less. The other types build
        // on the side whose unmatched rows are never output (StreamingHashJoin.streamable).
        boolean buildLeft = type == JoinType.INNER ? leftIsSmaller(l, r) : StreamingHashJoin.streamable(type, true);
        JoinSpec spec = j.spec().withBuildLeft(buildLeft);
        int reducers = Math.min(MAX_REDUCERS, Math.max(maxTasks, Math.max(l.aheadBlocks(), r.aheadBlocks())));
        Supplier<List<String>> schemas = () -> List.of(l.schemaJson(), r.schemaJson());
        return new StreamingHashJoin(weft, spec, schemas, context, budget, reducers, maxTasks, observer)
                .run(buildLeft ? l : r, buildLeft ? r : l);
    }

    /**
     * The largest right side {@code j} broadcasts without the hint: its threshold, and at most a quarter of the
     * exchange budget, since every node pins the whole broadcast side.
     */
    static long broadcastThreshold(Weft weft, Exchange.Join j, DataContext context) {
        return Math.min(j.broadcastThresholdBytes(), StreamingExecutor.exchangeBudget(weft, context) / 4);
    }

    private static void readAll(LookaheadSource side) {
        while (side.pullAhead()) {
            // holds the whole side
        }
    }

    /**
     * Whether the left side has fewer bytes than the right. Reads ahead from whichever side is behind, so it stops
     * once the smaller side has ended, having read about as much of the larger one.
     */
    private static boolean leftIsSmaller(LookaheadSource l, LookaheadSource r) {
        while (true) {
            if (l.ended() && l.aheadBytes() < r.aheadBytes()) {
                return true;
            }
            if (r.ended() && l.aheadBytes() >= r.aheadBytes()) {
                return false;
            }
            if (!l.ended() && (r.ended() || l.aheadBytes() <= r.aheadBytes())) {
                l.pullAhead();
            } else {
                r.pullAhead();
            }
        }
    }

    /**
     * A broadcast join over the left side as it comes: one task per left block joins it with the whole (small,
     * already read) right side; at most {@code maxTasks} tasks and about {@code budget} bytes of left blocks at a
     * time, each left block handed back once its task finished. Output in left block order.
     */
    private static List<BlockRef> streamBroadcast(Weft weft, LookaheadSource l, LookaheadSource r, Exchange.Join j,
                                                  DataContext context, long budget, int maxTasks) {
        JoinSpec spec = j.spec().withBuildLeft(false);
        List<BlockRef> right = r.ahead();
        Map<ObjectRef<List<BlockRef>>, BlockRef> running = new LinkedHashMap<>();
        Map<ObjectRef<List<BlockRef>>, Integer> indexOf = new HashMap<>();
        TreeMap<Integer, List<BlockRef>> out = new TreeMap<>();
        List<String> schemas = null;
        long inFlight = 0;
        int launched = 0;
        try {
            boolean inputDone = false;
            while (true) {
                while (!inputDone && running.size() < maxTasks && (running.isEmpty() || inFlight < budget)) {
                    if (!l.hasNext()) {
                        inputDone = true;
                        break;
                    }
                    BlockRef b = l.next();
                    if (b.numRows() == 0) {
                        l.release(b);
                        continue;
                    }
                    if (schemas == null) {
                        schemas = List.of(l.schemaJson(), r.schemaJson());
                    }
                    int i = launched++;
                    ObjectRef<List<BlockRef>> ref = weft.task(AllToAllOperator::broadcastJoin, b, right, spec, schemas,
                            context).name("BroadcastJoin#" + i).remote();
                    running.put(ref, b);
                    indexOf.put(ref, i);
                    inFlight += b.sizeBytes();
                }
                if (running.isEmpty()) {
                    break;
                }
                List<ObjectRef<List<BlockRef>>> pending = new ArrayList<>(running.keySet());
                weft.wait(pending, 1, null);
                for (ObjectRef<List<BlockRef>> ref : pending) {
                    if (ref.isReady()) {
                        BlockRef b = running.remove(ref);
                        try (ref) {
                            out.put(indexOf.remove(ref), ref.get());
                        } finally {
                            inFlight -= b.sizeBytes();
                            l.release(b);
                        }
                    }
                }
            }
            List<BlockRef> result = new ArrayList<>();
            out.values().forEach(result::addAll);
            return result;
        } catch (RuntimeException | Error e) {
            for (Map.Entry<ObjectRef<List<BlockRef>>, BlockRef> t : running.entrySet()) {
                try (ObjectRef<List<BlockRef>> ref = t.getKey()) {
                    ref.get().forEach(b -> b.ref().close());
                } catch (RuntimeException ignored) {
                    // the task failed: it made nothing
                }
                l.release(t.getValue());
            }
            out.values().forEach(blocks -> blocks.forEach(b -> b.ref().close()));
            throw e;
        }
    }

    /** A full outer join: both sides shuffled, then each reducer joins its two partitions. */
    private static List<BlockRef> barrierJoin(Weft weft, List<BlockRef> l, List<BlockRef> r, String ls, String rs,
                                              Exchange.Join j, DataContext context) {
        int reducers = reducers(l.size() >= r.size() ? l : r);
        long chunkBytes = StreamingHashJoin.chunkBytes(context, StreamingExecutor.exchangeBudget(weft, context),
                2 * clusterCpus(weft));
        List<ObjectRef<MapOutput>> mapRefs = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            mapRefs.add(weft.task(AllToAllOperator::joinMap, l.get(i), j.spec().leftKeys(), reducers)
                    .name("JoinMapLeft#" + i).remote());
        }
        for (int i = 0; i < r.size(); i++) {
            mapRefs.add(weft.task(AllToAllOperator::joinMap, r.get(i), j.spec().rightKeys(), reducers)
                    .name("JoinMapRight#" + i).remote());
        }
        List<MapOutput> maps = getEach(mapRefs, AllToAllOperator::discard);
        List<MapOutput> leftMaps = maps.subList(0, l.size());
        List<MapOutput> rightMaps = maps.subList(l.size(), maps.size());
        List<ObjectRef<List<BlockRef>>> reduceRefs = new ArrayList<>();
        for (int p = 0; p < reducers; p++) {
            reduceRefs.add(weft.task(AllToAllOperator::joinReduce, piecesOf(leftMaps, p), piecesOf(rightMaps, p),
                    j.spec(), List.of(ls, rs), chunkBytes, context).name("JoinReduce#" + p).remote());
        }
        return collect(weft, reduceRefs, maps);
    }

    private static int reducers(List<BlockRef> inputs) {
        return Math.max(1, Math.min(inputs.size(), MAX_REDUCERS));
    }

    private static List<BlockRef> randomShuffle(Weft weft, List<BlockRef> inputs, Exchange.RandomShuffle x,
                                                DataContext context) {
        int reducers = x.reducers() > 0 ? x.reducers() : inputs.size();
        List<ObjectRef<MapOutput>> mapRefs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            mapRefs.add(weft.task(AllToAllOperator::shuffleMap, inputs.get(i), x, List.of(reducers, i))
                    .name("ShuffleMap#" + i).remote());
        }
        List<MapOutput> maps = getEach(mapRefs, AllToAllOperator::discard);
        List<ObjectRef<List<BlockRef>>> reduceRefs = new ArrayList<>();
        for (int r = 0; r < reducers; r++) {
            reduceRefs.add(weft.task(AllToAllOperator::shuffleReduce, piecesOf(maps, r), x, r, context)
                    .name("ShuffleReduce#" + r).remote());
        }
        return collect(weft, reduceRefs, maps);
    }

    private static List<BlockRef> sort(Weft weft, List<BlockRef> inputs, Exchange.Sort s, DataContext context) {
        List<ObjectRef<ObjectRef<VectorSchemaRoot>>> sampleRefs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            sampleRefs.add(weft.task(AllToAllOperator::sortSample, inputs.get(i), s, i).name("SortSample#" + i).remote());
        }
        List<ObjectRef<VectorSchemaRoot>> samples = getEach(sampleRefs, ObjectRef::close);
        ObjectRef<VectorSchemaRoot> boundaries;
        List<VectorSchemaRoot> sampleBatches = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("SortBoundaries")) {
            try {
                for (ObjectRef<VectorSchemaRoot> ref : samples) {
                    sampleBatches.add(ref.get());
                }
                try (VectorSchemaRoot b = SortExchange.boundaries(sampleBatches, s.keys(), reducers(inputs), allocator)) {
                    boundaries = weft.put(b);
                }
            } finally {
                sampleBatches.forEach(VectorSchemaRoot::close);
                samples.forEach(ObjectRef::close);
            }
        }
        List<MapOutput> maps;
        try {
            List<ObjectRef<MapOutput>> mapRefs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                mapRefs.add(weft.task(AllToAllOperator::sortMap, inputs.get(i), s, List.of(boundaries)).name("SortMap#" + i).remote());
            }
            maps = getEach(mapRefs, AllToAllOperator::discard);
        } finally {
            boundaries.close();
        }
        int ranges = maps.getFirst().pieces().size();
        List<ObjectRef<List<BlockRef>>> reduceRefs = new ArrayList<>();
        for (int r = 0; r < ranges; r++) {
            reduceRefs.add(weft.task(AllToAllOperator::sortReduce, piecesOf(maps, r), s, context)
                    .name("SortReduce#" + r).remote());
        }
        return collect(weft, reduceRefs, maps);
    }

    /**
     * The value of every ref, each ref closed once read. When one failed, waits for the others all the same (a task
     * still running would store its result after the exchange gave up on it), hands the values read to
     * {@code discard} and throws the first failure.
     */
    private static <T> List<T> getEach(List<ObjectRef<T>> refs, java.util.function.Consumer<T> discard) {
        List<T> values = new ArrayList<>(refs.size());
        RuntimeException failure = null;
        for (ObjectRef<T> ref : refs) {
            try (ref) {
                values.add(ref.get());
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            for (T v : values) {
                try {
                    discard.accept(v);
                } catch (RuntimeException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        return values;
    }

    private static void discard(MapOutput m) {
        m.pieces().forEach(ObjectRef::close);
    }

    private static List<ObjectRef<VectorSchemaRoot>> piecesOf(List<MapOutput> maps, int reducer) {
        List<ObjectRef<VectorSchemaRoot>> pieces = new ArrayList<>(maps.size());
        for (MapOutput m : maps) {
            pieces.add(m.pieces().get(reducer));
        }
        return pieces;
    }

    /** Waits for the reducers in order, releasing each reducer's pieces as soon as it finished. */
    private static List<BlockRef> collect(Weft weft, List<ObjectRef<List<BlockRef>>> reduceRefs, List<MapOutput> maps) {
        List<BlockRef> out = new ArrayList<>();
        try {
            for (int r = 0; r < reduceRefs.size(); r++) {
                out.addAll(reduceRefs.get(r).get());
                reduceRefs.get(r).close();
                for (MapOutput m : maps) {
                    m.pieces().get(r).close();
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.forEach(b -> b.ref().close());
            maps.forEach(AllToAllOperator::discard);
            // Reducers still running would put output blocks after the exchange gave up: wait for each, free them.
            for (ObjectRef<List<BlockRef>> ref : reduceRefs) {
                try (ref) {
                    ref.get().forEach(b -> b.ref().close());
                } catch (RuntimeException failed) {
                    // failed or already taken (and freed above): it holds nothing
                }
            }
            throw e;
        }
    }

    // ---- task functions ---------------------------------------------------------------------------------

    public static ObjectRef<VectorSchemaRoot> sortSample(BlockRef input, Exchange.Sort s, Integer blockIndex) {
        try (BufferAllocator allocator = DataAllocators.child("SortSample");
             VectorSchemaRoot block = input.ref().get();
             VectorSchemaRoot sample = SortExchange.sample(block, s.keys(), SAMPLE_ROWS, 0x5eedL, blockIndex, allocator)) {
            return Weft.current().put(sample);
        }
    }

    public static MapOutput joinMap(BlockRef input, List<String> keys, Integer reducers) {
        try (BufferAllocator allocator = DataAllocators.child("JoinMap");
             VectorSchemaRoot block = input.ref().get()) {
            return new MapOutput(putAll(JoinExchange.map(block, keys, reducers, allocator)), block.getSchema().toJson());
        }
    }

    /**
     * One reducer of a full outer join: its two partitions joined, the build side a chunk of at most
     * {@code chunkBytes} at a time. {@code schemas} is the left and the right schema as JSON.
     */
    public static List<BlockRef> joinReduce(List<ObjectRef<VectorSchemaRoot>> leftPieces,
                                            List<ObjectRef<VectorSchemaRoot>> rightPieces, JoinSpec spec,
                                            List<String> schemas, Long chunkBytes, DataContext context) throws Exception {
        return StreamingTasks.join(spec.buildLeft() ? leftPieces : rightPieces, spec.buildLeft() ? rightPieces : leftPieces,
                spec, schemas, chunkBytes, context, "JoinReduce");
    }

    /** Builds the hash table on every block of the small right side and probes it with one left block. */
    public static List<BlockRef> broadcastJoin(BlockRef left, List<BlockRef> right, JoinSpec spec, List<String> schemas,
                                               DataContext context) throws Exception {
        List<VectorSchemaRoot> rb = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("BroadcastJoin")) {
            try (VectorSchemaRoot block = left.ref().get()) {
                for (BlockRef b : right) {
                    rb.add(b.ref().get());
                }
                List<VectorSchemaRoot> out = new ArrayList<>();
                try (HashJoin join = new HashJoin(spec, Schema.fromJSON(schemas.get(0)), Schema.fromJSON(schemas.get(1)),
                        rb, 64 * 1024, allocator)) {
                    out.addAll(join.probe(block, allocator));
                    out.addAll(join.finish(allocator));
                } catch (RuntimeException | Error e) {
                    out.forEach(VectorSchemaRoot::close);
                    throw e;
                }
                return store(out, context, allocator);
            } finally {
                rb.forEach(VectorSchemaRoot::close);
            }
        }
    }

    /** {@code reducersAndIndex} is the reducer count and this block's index. */
    public static MapOutput shuffleMap(BlockRef input, Exchange.RandomShuffle x, List<Integer> reducersAndIndex) {
        try (BufferAllocator allocator = DataAllocators.child("ShuffleMap");
             VectorSchemaRoot block = input.ref().get()) {
            List<VectorSchemaRoot> pieces = ShuffleExchange.map(block, reducersAndIndex.get(0), x.seed(),
                    reducersAndIndex.get(1), allocator);
            return new MapOutput(putAll(pieces), block.getSchema().toJson());
        }
    }

    public static List<BlockRef> shuffleReduce(List<ObjectRef<VectorSchemaRoot>> pieces, Exchange.RandomShuffle x,
                                               Integer reducer, DataContext context) {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("ShuffleReduce")) {
            try {
                for (ObjectRef<VectorSchemaRoot> p : pieces) {
                    batches.add(p.get());
                }
                return store(List.of(ShuffleExchange.reduce(batches, x.seed(), reducer, allocator)), context, allocator);
            } finally {
                batches.forEach(VectorSchemaRoot::close);
            }
        }
    }

    /** {@code boundaries} is one ref in a list, so that the engine passes the ref rather than its value. */
    public static MapOutput sortMap(BlockRef input, Exchange.Sort s, List<ObjectRef<VectorSchemaRoot>> boundaries) {
        try (BufferAllocator allocator = DataAllocators.child("SortMap");
             VectorSchemaRoot block = input.ref().get();
             VectorSchemaRoot bounds = boundaries.getFirst().get()) {
            List<VectorSchemaRoot> pieces = SortExchange.map(block, s.keys(), bounds, allocator);
            return new MapOutput(putAll(pieces), block.getSchema().toJson());
        }
    }

    public static List<BlockRef> sortReduce(List<ObjectRef<VectorSchemaRoot>> pieces, Exchange.Sort s,
                                            DataContext context) {
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("SortReduce")) {
            try {
                for (ObjectRef<VectorSchemaRoot> p : pieces) {
                    batches.add(p.get());
                }
                return store(SortExchange.reduce(batches, s.keys(), 64 * 1024, allocator), context, allocator);
            } finally {
                batches.forEach(VectorSchemaRoot::close);
            }
        }
    }

    /** Puts every piece (closing it), empty ones too, so that piece {@code r} always goes to reducer {@code r}. */
    private static List<ObjectRef<VectorSchemaRoot>> putAll(List<VectorSchemaRoot> pieces) {
        Weft weft = Weft.current();
        List<ObjectRef<VectorSchemaRoot>> refs = new ArrayList<>(pieces.size());
        try {
            for (VectorSchemaRoot p : pieces) {
                refs.add(weft.put(p));
            }
            return refs;
        } catch (RuntimeException | Error e) {
            refs.forEach(ObjectRef::close);
            throw e;
        } finally {
            pieces.forEach(VectorSchemaRoot::close);
        }
    }

    /** Takes ownership of {@code batches}; stores them as blocks of about the target size. */
    static List<BlockRef> store(List<VectorSchemaRoot> batches, DataContext context, BufferAllocator allocator) {
        BlockOutput out = new BlockOutput(Weft.current(), context, allocator, List.of());
        int handed = 0;
        try {
            for (VectorSchemaRoot b : batches) {
                handed++;
                out.add(b);
            }
            out.flush();
            return new ArrayList<>(out.blocks());
        } catch (RuntimeException | Error e) {
            out.discard();
            // the batches after the one that failed were never the output's: they are still ours to close
            batches.subList(handed, batches.size()).forEach(VectorSchemaRoot::close);
            throw e;
        }
    }
}

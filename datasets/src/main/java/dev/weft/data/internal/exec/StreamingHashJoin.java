package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.StreamingTasks.MapPieces;
import dev.weft.data.internal.kernels.ChunkedJoin;
import dev.weft.data.internal.kernels.ColumnGather;
import dev.weft.data.internal.kernels.HeavyKeys;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.JoinType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A shuffled hash join whose reducers run while the probe side is still being mapped. Both sides are streams of
 * blocks ({@link BlockSource}), each block released as soon as its map task finished. The build side is split
 * first (its pieces are held in the store until the end: every probe task needs its reducer's whole build side,
 * which it turns into hash tables a chunk of {@link #chunkBytes} at a time, see {@link ChunkedJoin}); then probe
 * blocks are mapped while the blocks being mapped plus the probe pieces not yet joined fit the byte budget, and as soon as a reducer has queued probe pieces worth at least
 * its build side (or the budget is full) a probe task builds that reducer's table and joins them; the pieces are
 * released as soon as it finished. Only join types whose build side never contributes unmatched rows stream this
 * way ({@link #streamable}), so probe tasks share nothing.
 *
 * <p>Skew: before mapping, sampling tasks draw the key columns of the first probe blocks (up to
 * {@link #SAMPLED_BLOCKS}, and no more than half the budget; they are then mapped first); keys
 * holding at least {@link #HEAVY_SHARE} of the sample per reducer (a key that alone would give its reducer more
 * than its share of the probe side) are heavy. Their probe rows are spread at random over every reducer and their
 * build rows copied to every reducer, so each probe row still meets every matching build row exactly once.
 * Runs on the driver thread; blocking; one use.
 */
final class StreamingHashJoin {
    static final int SAMPLED_BLOCKS = 16;
    /** A key is heavy when its share of the probe sample is at least this many reducers' fair shares. */
    static final double HEAVY_SHARE = 1.5;

    private final Weft weft;
    private final JoinSpec spec;
    private final Supplier<List<String>> schemas;
    private List<String> schemaJsons;
    private final DataContext context;
    private final long budget;
    private final int reducers;
    private final int maxMaps;
    private final List<String> probeKeys;
    private final List<String> buildKeys;
    private final ExchangeObserver observer;

    private final Map<ObjectRef<MapPieces>, BlockRef> maps = new LinkedHashMap<>();
    private final List<List<ObjectRef<VectorSchemaRoot>>> buildPieces = new ArrayList<>();
    private final long[] buildBytes;
    private final List<List<Piece>> queued = new ArrayList<>();
    private final long[] queuedBytes;
    private final Map<ObjectRef<List<BlockRef>>, Probe> probing = new LinkedHashMap<>();
    /** Output per (reducer, probe task sequence), so the output order does not depend on task timing. */
    private final TreeMap<Long, List<BlockRef>> output = new TreeMap<>();
    private final int[] probeTasks;
    private ObjectRef<VectorSchemaRoot> heavy;
    private int heavyKeys;
    /**
     * Probe blocks being mapped, each counted twice: a probe map moves every row, so its pieces (put before the
     * driver hears of them) weigh about as much as its block, and both are in the store until the driver frees
     * the block.
     */
    private long inputBytes;
    private long pieceBytes;
    private int mapsLaunched;
    private int mapsDone;

    private record Piece(ObjectRef<VectorSchemaRoot> ref, long bytes) {
    }

    private record Probe(int reducer, int sequence, List<Piece> pieces) {
    }

    /** {@code spec.buildLeft()} names the build side; {@code schemas} are the left and right schemas as JSON. */
    StreamingHashJoin(Weft weft, JoinSpec spec, List<String> schemas, DataContext context, long budget, int reducers,
                      int maxMaps) {
        this(weft, spec, () -> schemas, context, budget, reducers, maxMaps, ExchangeObserver.NONE);
    }

    /**
     * {@code schemas} gives the left and right schemas as JSON; asked once, when the first probe task starts (after
     * the build side was read and the first probe blocks mapped).
     */
    StreamingHashJoin(Weft weft, JoinSpec spec, Supplier<List<String>> schemas, DataContext context, long budget,
                      int reducers, int maxMaps, ExchangeObserver observer) {
        this.weft = weft;
        this.observer = observer;
        this.spec = spec;
        this.schemas = schemas;
        this.context = context;
        this.budget = budget;
        this.reducers = reducers;
        this.maxMaps = Math.max(1, maxMaps);
        this.probeKeys = spec.buildLeft() ? spec.rightKeys() : spec.leftKeys();
        this.buildKeys = spec.buildLeft() ? spec.leftKeys() : spec.rightKeys();
        this.buildBytes = new long[reducers];
        this.queuedBytes = new long[reducers];
        this.probeTasks = new int[reducers];
        for (int r = 0; r < reducers; r++) {
            buildPieces.add(new ArrayList<>());
            queued.add(new ArrayList<>());
        }
    }

    /**
     * Whether {@code type} can stream with the build side on the left ({@code buildLeft}) or right: the build
     * side's unmatched rows must never be part of the output.
     */
    static boolean streamable(JoinType type, boolean buildLeft) {
        return switch (type) {
            case INNER -> true;
            case LEFT_OUTER, LEFT_SEMI, LEFT_ANTI -> !buildLeft;
            case RIGHT_OUTER, RIGHT_SEMI, RIGHT_ANTI -> buildLeft;
            case FULL_OUTER -> false;
        };
    }

    /**
     * The most build-side bytes one join task makes a hash table of ({@link ChunkedJoin}): its share of the budget
     * when {@code tasks} tasks run at once, and no less than the minimum block size.
     */
    static long chunkBytes(DataContext context, long budget, int tasks) {
        return Math.max(context.targetMinBlockSizeBytes(), budget / Math.max(1, tasks));
    }

    /** Number of heavy keys the probe sample showed (after {@link #run}). */
    int heavyKeys() {
        return heavyKeys;
    }

    /**
     * Joins the blocks of {@code build} with those of {@code probe}, handing each block back to its source once
     * mapped; the output blocks (the caller's) in reducer order.
     */
    List<BlockRef> run(BlockSource build, BlockSource probeSource) {
        LookaheadSource probe = new LookaheadSource(probeSource, null);
        try {
            detectHeavyKeys(probe);
            mapBuildSide(build);
            streamProbeSide(probe);
            List<BlockRef> out = new ArrayList<>();
            output.values().forEach(out::addAll);
            output.clear();
            return out;
        } catch (RuntimeException | Error e) {
            discard(probe);
            throw e;
        } finally {
            probe.releaseAhead();
            buildPieces.forEach(l -> l.forEach(ObjectRef::close));
            if (heavy != null) {
                heavy.close();
            }
        }
    }

    /**
     * Samples the first probe blocks: up to {@link #SAMPLED_BLOCKS}, within the budget (at least one). They stay
     * ahead in {@code probe}, to be mapped first.
     */
    private void detectHeavyKeys(LookaheadSource probe) {
        if (reducers < 2) {
            return;
        }
        while (probe.aheadBlocks() < SAMPLED_BLOCKS && (probe.aheadBlocks() == 0 || probe.aheadBytes() < budget / 2)
                && probe.pullAhead()) {
            // pulled one more
        }
        List<BlockRef> probeBlocks = probe.ahead();
        if (probeBlocks.isEmpty()) {
            return;
        }
        int n = Math.min(SAMPLED_BLOCKS, probeBlocks.size());
        List<ObjectRef<ObjectRef<VectorSchemaRoot>>> sampleRefs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BlockRef b = probeBlocks.get(i);
            sampleRefs.add(weft.task(StreamingTasks::keySample, b, probeKeys, i).name("JoinKeySample#" + i).remote());
        }
        List<ObjectRef<VectorSchemaRoot>> samples = new ArrayList<>();
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("JoinHeavyKeys")) {
            try {
                for (ObjectRef<ObjectRef<VectorSchemaRoot>> s : sampleRefs) {
                    samples.add(s.get());
                }
                for (ObjectRef<VectorSchemaRoot> s : samples) {
                    batches.add(s.get());
                }
                try (VectorSchemaRoot pooled = ColumnGather.concat(batches.getFirst().getSchema(), batches, allocator)) {
                    HeavyKeys found = HeavyKeys.detect(pooled, probeKeys, Math.min(1.0, HEAVY_SHARE / reducers));
                    heavyKeys = found.size();
                    if (heavyKeys > 0) {
                        try (VectorSchemaRoot rows = found.heavyRows(pooled, probeKeys, allocator)) {
                            heavy = weft.put(rows);
                        }
                    }
                }
            } finally {
                batches.forEach(VectorSchemaRoot::close);
                samples.forEach(ObjectRef::close);
                sampleRefs.forEach(ObjectRef::close);
            }
        }
    }

    private List<ObjectRef<VectorSchemaRoot>> heavyArg() {
        return heavy == null ? List.of() : List.of(heavy);
    }

    /**
     * Splits the build side, at most {@code maxMaps} blocks at a time, each block handed back once its map task
     * finished; the pieces are kept in block order (so that the hash tables, and the output, do not depend on
     * timing).
     */
    private void mapBuildSide(BlockSource build) {
        Map<ObjectRef<MapPieces>, BlockRef> running = new LinkedHashMap<>();
        Map<ObjectRef<MapPieces>, Integer> indexOf = new HashMap<>();
        TreeMap<Integer, MapPieces> done = new TreeMap<>();
        try {
            boolean inputDone = false;
            int launched = 0;
            while (true) {
                while (!inputDone && running.size() < maxMaps) {
                    if (!build.hasNext()) {
                        inputDone = true;
                        break;
                    }
                    BlockRef b = build.next();
                    if (b.numRows() == 0) {
                        build.release(b);
                        continue;
                    }
                    int i = launched++;
                    ObjectRef<MapPieces> ref = weft.task(StreamingTasks::joinBuildMap, b, buildKeys, reducers,
                            heavyArg(), probeKeys).name("JoinBuildMap#" + i).remote();
                    running.put(ref, b);
                    indexOf.put(ref, i);
                }
                if (running.isEmpty()) {
                    break;
                }
                List<ObjectRef<MapPieces>> pending = new ArrayList<>(running.keySet());
                weft.wait(pending, 1, null);
                for (ObjectRef<MapPieces> ref : pending) {
                    if (ref.isReady()) {
                        BlockRef b = running.remove(ref);
                        try (ref) {
                            done.put(indexOf.remove(ref), ref.get());
                        } finally {
                            build.release(b);
                        }
                    }
                }
            }
            for (MapPieces m : done.values()) {
                for (int i = 0; i < m.refs().size(); i++) {
                    buildPieces.get(m.reducerOf()[i]).add(m.refs().get(i));
                    buildBytes[m.reducerOf()[i]] += m.bytes()[i];
                }
            }
        } catch (RuntimeException | Error e) {
            for (Map.Entry<ObjectRef<MapPieces>, BlockRef> r : running.entrySet()) {
                try (ObjectRef<MapPieces> ref = r.getKey()) {
                    ref.get().refs().forEach(ObjectRef::close);
                } catch (RuntimeException ignored) {
                    // that map failed and made nothing
                }
                build.release(r.getValue());
            }
            done.values().forEach(m -> m.refs().forEach(ObjectRef::close));
            buildPieces.forEach(List::clear);
            throw e;
        }
    }

    /**
     * Blocks already pulled ahead (the sampled ones; for an inner join also the prefix read to size the sides,
     * about the build side's size) are mapped first. They are held anyway, so they do not count against the
     * budget: counting them would map a large prefix one block at a time.
     */
    private void streamProbeSide(LookaheadSource source) {
        boolean inputDone = false;
        while (true) {
            while (!inputDone && maps.size() < maxMaps
                    && (inputBytes + pieceBytes < budget || idle())) {
                if (!source.hasNext()) {
                    inputDone = true;
                    break;
                }
                BlockRef b = source.next();
                if (b.numRows() == 0) {
                    source.release(b);
                    continue;
                }
                int index = mapsLaunched++;
                maps.put(weft.task(StreamingTasks::joinProbeMap, b, probeKeys, reducers, heavyArg(), (long) index)
                        .name("JoinProbeMap#" + index).remote(), b);
                inputBytes += 2 * b.sizeBytes();
            }
            boolean mapsOver = inputDone && maps.isEmpty();
            boolean full = inputBytes + pieceBytes >= budget || maps.isEmpty();
            for (int r = 0; r < reducers; r++) {
                if (!queued.get(r).isEmpty()
                        && (mapsOver || full || queuedBytes[r] >= Math.max(budget / (2L * reducers), buildBytes[r]))) {
                    launchProbe(r);
                }
            }
            List<ObjectRef<Object>> pending = pending();
            if (pending.isEmpty()) {
                return;
            }
            weft.wait(pending, 1, null);
            for (ObjectRef<Object> ref : pending) {
                if (ref.isReady()) {
                    finished(ref, source);
                }
            }
        }
    }

    private boolean idle() {
        return maps.isEmpty() && probing.isEmpty();
    }

    private void launchProbe(int r) {
        List<Piece> pieces = new ArrayList<>(queued.get(r));
        queued.get(r).clear();
        queuedBytes[r] = 0;
        int seq = probeTasks[r]++;
        if (schemaJsons == null) {
            schemaJsons = List.copyOf(schemas.get());
        }
        probing.put(weft.task(StreamingTasks::joinProbe, List.copyOf(buildPieces.get(r)), pieces.stream().map(Piece::ref).toList(),
                spec, schemaJsons, chunkBytes(context, budget, maxMaps), context).name("JoinProbe#" + r + "." + seq).remote(), new Probe(r, seq, pieces));
    }

    @SuppressWarnings("unchecked")
    private List<ObjectRef<Object>> pending() {
        List<ObjectRef<Object>> refs = new ArrayList<>();
        maps.keySet().forEach(m -> refs.add((ObjectRef<Object>) (ObjectRef<?>) m));
        probing.keySet().forEach(m -> refs.add((ObjectRef<Object>) (ObjectRef<?>) m));
        return refs;
    }

    private void finished(ObjectRef<?> ref, BlockSource source) {
        BlockRef input = maps.remove(ref);
        if (input != null) {
            MapPieces m;
            try (ref) {
                m = (MapPieces) ref.get();
            } finally {
                inputBytes -= 2 * input.sizeBytes();
                source.release(input);
            }
            for (int i = 0; i < m.refs().size(); i++) {
                int r = m.reducerOf()[i];
                queued.get(r).add(new Piece(m.refs().get(i), m.bytes()[i]));
                queuedBytes[r] += m.bytes()[i];
                pieceBytes += m.bytes()[i];
            }
            observer.mapTaskDone(++mapsDone);
            return;
        }
        Probe p = probing.remove(ref);
        List<BlockRef> blocks;
        try (ref) {
            @SuppressWarnings("unchecked")
            List<BlockRef> got = (List<BlockRef>) ref.get();
            blocks = got;
        }
        for (Piece piece : p.pieces()) {
            piece.ref().close();
            pieceBytes -= piece.bytes();
        }
        output.put(((long) p.reducer() << 32) | p.sequence(), blocks);
        observer.outputDone(blocks.size());
    }

    /** After a failure: waits for what still runs and releases every piece and output block. */
    private void discard(BlockSource source) {
        for (Map.Entry<ObjectRef<MapPieces>, BlockRef> e : maps.entrySet()) {
            try (ObjectRef<MapPieces> ref = e.getKey()) {
                ref.get().refs().forEach(ObjectRef::close);
            } catch (RuntimeException ignored) {
                // the map task failed: it made no pieces
            }
            source.release(e.getValue());
        }
        maps.clear();
        for (Map.Entry<ObjectRef<List<BlockRef>>, Probe> e : probing.entrySet()) {
            try (ObjectRef<List<BlockRef>> ref = e.getKey()) {
                ref.get().forEach(b -> b.ref().close());
            } catch (RuntimeException ignored) {
                // the probe failed: it made nothing
            }
            e.getValue().pieces().forEach(p -> p.ref().close());
        }
        probing.clear();
        queued.forEach(l -> l.forEach(p -> p.ref().close()));
        output.values().forEach(l -> l.forEach(b -> b.ref().close()));
        output.clear();
    }
}

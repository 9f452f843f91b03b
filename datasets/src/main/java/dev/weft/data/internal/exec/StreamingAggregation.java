package dev.weft.data.internal.exec;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.exec.StreamingTasks.MapPieces;
import dev.weft.data.internal.exec.StreamingTasks.Merged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A group-by whose reducers run while its mappers still do. Map tasks (one per input block, each aggregating its
 * block first — the combiner, which also takes the load of heavy keys off the reducers: each map sends at most one
 * partial row per key) are launched only while the input blocks being mapped plus the pieces not yet merged fit
 * the byte budget. As pieces arrive, each reducer folds its queue into its partial state with a merge task (one at
 * a time per reducer, each step taking the previous state and the queued pieces), and the pieces are released as
 * soon as the step finished; the last step emits the final groups. So the shuffle holds at most the budget in
 * pieces (plus one block per running map task) whatever the input size; the partial states hold one row per
 * group, which is the output's size. Runs on the driver thread; blocking; one use.
 */
final class StreamingAggregation {
    private final Weft weft;
    private final Exchange.GroupBy g;
    private final DataContext context;
    private final long budget;
    private final int reducers;
    private final int maxMaps;
    private final ExchangeObserver observer;

    private final Map<ObjectRef<MapPieces>, BlockRef> maps = new LinkedHashMap<>();
    private final List<List<Piece>> queued = new ArrayList<>();
    private final long[] queuedBytes;
    private final List<ObjectRef<Merged>> merging = new ArrayList<>();
    private final List<List<Piece>> mergingPieces = new ArrayList<>();
    private final List<ObjectRef<VectorSchemaRoot>> state = new ArrayList<>();
    private final long[] stateBytes;
    private final List<List<BlockRef>> output = new ArrayList<>();
    private long inputBytes;
    private long pieceBytes;
    private String schemaJson;
    private int mapsDone;

    private record Piece(ObjectRef<VectorSchemaRoot> ref, long bytes) {
    }

    StreamingAggregation(Weft weft, Exchange.GroupBy g, DataContext context, long budget, int reducers, int maxMaps,
                         ExchangeObserver observer) {
        this.weft = weft;
        this.observer = observer;
        this.g = g;
        this.context = context;
        this.budget = budget;
        this.reducers = g.keys().isEmpty() ? 1 : reducers;
        this.maxMaps = Math.max(1, maxMaps);
        this.queuedBytes = new long[this.reducers];
        this.stateBytes = new long[this.reducers];
        for (int r = 0; r < this.reducers; r++) {
            queued.add(new ArrayList<>());
            merging.add(null);
            mergingPieces.add(List.of());
            state.add(null);
            output.add(null);
        }
    }

    /** Aggregates every block of {@code source}; the output blocks (owned by the caller) in reducer order. */
    List<BlockRef> run(BlockSource source) {
        try {
            boolean inputDone = false;
            while (true) {
                while (!inputDone && maps.size() < maxMaps && (inputBytes + pieceBytes < budget || idle())) {
                    if (!source.hasNext()) {
                        inputDone = true;
                        break;
                    }
                    BlockRef b = source.next();
                    if (b.numRows() == 0) {
                        source.release(b);
                        continue;
                    }
                    maps.put(weft.task(StreamingTasks::groupMap, b, g, reducers)
                            .name("GroupByMap#" + (mapsDone + maps.size())).remote(), b);
                    inputBytes += b.sizeBytes();
                }
                boolean mapsOver = inputDone && maps.isEmpty();
                boolean full = inputBytes + pieceBytes >= budget || maps.isEmpty();
                for (int r = 0; r < reducers; r++) {
                    if (merging.get(r) == null && output.get(r) == null
                            && (!queued.get(r).isEmpty() || (mapsOver && state.get(r) != null))
                            && (mapsOver || full || queuedBytes[r] >= threshold(r))) {
                        launchMerge(r, mapsOver);
                    }
                }
                List<ObjectRef<Object>> pending = pending();
                if (pending.isEmpty()) {
                    break;
                }
                weft.wait(pending, 1, null);
                for (ObjectRef<Object> ref : pending) {
                    if (ref.isReady()) {
                        finished(ref, source);
                    }
                }
            }
            List<BlockRef> out = new ArrayList<>();
            for (List<BlockRef> blocks : output) {
                if (blocks != null) {
                    out.addAll(blocks);
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            discard(source);
            throw e;
        }
    }

    /** Nothing is running, so nothing would ever free budget: let one more map in. */
    private boolean idle() {
        return maps.isEmpty() && merging.stream().allMatch(m -> m == null);
    }

    /**
     * A reducer merges once its queue is worth a step: a share of the budget, and at least its state's size, so
     * that re-reading a growing state costs at most as much as the pieces themselves (geometric growth).
     */
    private long threshold(int r) {
        return Math.max(budget / (2L * reducers), stateBytes[r]);
    }

    private void launchMerge(int r, boolean last) {
        List<Piece> pieces = new ArrayList<>(queued.get(r));
        queued.get(r).clear();
        queuedBytes[r] = 0;
        List<ObjectRef<VectorSchemaRoot>> args = new ArrayList<>();
        if (state.get(r) != null) {
            args.add(state.get(r));
        }
        pieces.forEach(p -> args.add(p.ref()));
        merging.set(r, weft.task(StreamingTasks::groupMerge, args, g, schemaJson, last, context)
                .name((last ? "GroupByReduce#" : "GroupByMerge#") + r).remote());
        mergingPieces.set(r, pieces);
    }

    @SuppressWarnings("unchecked")
    private List<ObjectRef<Object>> pending() {
        List<ObjectRef<Object>> refs = new ArrayList<>();
        maps.keySet().forEach(m -> refs.add((ObjectRef<Object>) (ObjectRef<?>) m));
        merging.stream().filter(m -> m != null).forEach(m -> refs.add((ObjectRef<Object>) (ObjectRef<?>) m));
        return refs;
    }

    private void finished(ObjectRef<?> ref, BlockSource source) {
        BlockRef input = maps.remove(ref);
        if (input != null) {
            MapPieces m;
            try (ref) {
                m = (MapPieces) ref.get();
            }
            inputBytes -= input.sizeBytes();
            source.release(input);
            schemaJson = m.schemaJson();
            for (int i = 0; i < m.refs().size(); i++) {
                int r = m.reducerOf()[i];
                queued.get(r).add(new Piece(m.refs().get(i), m.bytes()[i]));
                queuedBytes[r] += m.bytes()[i];
                pieceBytes += m.bytes()[i];
            }
            observer.mapTaskDone(++mapsDone);
            return;
        }
        int r = merging.indexOf(ref);
        Merged m;
        try (ref) {
            m = (Merged) ref.get();
        }
        merging.set(r, null);
        for (Piece p : mergingPieces.get(r)) {
            p.ref().close();
            pieceBytes -= p.bytes();
        }
        mergingPieces.set(r, List.of());
        if (state.get(r) != null) {
            state.get(r).close();
        }
        state.set(r, m.state());
        stateBytes[r] = m.stateBytes();
        if (m.state() == null) {
            output.set(r, m.blocks());
            observer.outputDone(m.blocks().size());
        }
    }

    /** After a failure: waits for what still runs and releases every piece, state and output block. */
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
        for (int r = 0; r < reducers; r++) {
            if (merging.get(r) != null) {
                try (ObjectRef<Merged> ref = merging.get(r)) {
                    Merged m = ref.get();
                    if (m.state() != null) {
                        m.state().close();
                    }
                    m.blocks().forEach(b -> b.ref().close());
                } catch (RuntimeException ignored) {
                    // the merge failed: it made nothing
                }
            }
            mergingPieces.get(r).forEach(p -> p.ref().close());
            queued.get(r).forEach(p -> p.ref().close());
            if (state.get(r) != null) {
                state.get(r).close();
            }
            if (output.get(r) != null) {
                output.get(r).forEach(b -> b.ref().close());
            }
        }
    }
}

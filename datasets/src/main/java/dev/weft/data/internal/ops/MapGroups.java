package dev.weft.data.internal.ops;

import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.BatchFunction;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.kernels.ColumnGather;
import dev.weft.data.internal.kernels.GroupByExchange;
import dev.weft.data.internal.kernels.GroupedRows;
import dev.weft.data.internal.plan.BlockTransform;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code groupBy(keys).mapGroups(fn)}: the group-by shuffle without a combiner — map tasks split each block by
 * key hash into one piece per reducer ({@link GroupByExchange#map}), each reducer gathers its pieces, arranges
 * the rows by group with the vectorized group table ({@link GroupedRows}) and calls {@code fn} once per group
 * with all of that group's rows as one batch. A group's rows are in input block order; groups come in no
 * particular order. Pieces are released as soon as their reducer finished.
 */
public record MapGroups(List<String> keys, String name, BatchFunction fn) implements BlockTransform {
    private static final int MAX_REDUCERS = 64;

    public MapGroups {
        keys = List.copyOf(keys);
    }

    @Override
    public String explain() {
        return "MapGroups[keys=" + keys + ", " + name + "]";
    }

    /** One map task's pieces, index = reducer. */
    public record Pieces(List<ObjectRef<VectorSchemaRoot>> refs) implements Serializable {
    }

    @Override
    public List<BlockRef> apply(Weft weft, List<BlockRef> input, List<List<BlockRef>> sides, DataContext context) {
        List<BlockRef> blocks = input.stream().filter(b -> b.numRows() > 0).toList();
        if (blocks.isEmpty()) {
            return List.of();
        }
        int reducers = Math.min(blocks.size(), MAX_REDUCERS);
        List<ObjectRef<Pieces>> mapRefs = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            mapRefs.add(weft.task(MapGroups::map, blocks.get(i), keys, reducers).name("MapGroupsMap#" + i).remote());
        }
        List<Pieces> maps;
        try {
            maps = weft.get(mapRefs);
        } finally {
            mapRefs.forEach(ObjectRef::close);
        }
        List<ObjectRef<List<BlockRef>>> reduceRefs = new ArrayList<>();
        for (int r = 0; r < reducers; r++) {
            List<ObjectRef<VectorSchemaRoot>> mine = new ArrayList<>();
            for (Pieces p : maps) {
                mine.add(p.refs().get(r));
            }
            reduceRefs.add(weft.task(MapGroups::reduce, mine, this.asTask(), context).name("MapGroupsReduce#" + r).remote());
        }
        List<BlockRef> out = new ArrayList<>();
        try {
            for (int r = 0; r < reducers; r++) {
                out.addAll(reduceRefs.get(r).get());
                for (Pieces p : maps) {
                    p.refs().get(r).close();
                }
            }
            return out;
        } catch (RuntimeException | Error e) {
            out.forEach(b -> b.ref().close());
            maps.forEach(p -> p.refs().forEach(ObjectRef::close));
            throw e;
        } finally {
            reduceRefs.forEach(ObjectRef::close);
        }
    }

    /** What a reduce task needs: a plain serializable value rather than the plan's transform. */
    private Spec asTask() {
        return new Spec(keys, name, fn);
    }

    /** The reducer's part of the operator, sent to each reduce task. */
    public record Spec(List<String> keys, String name, BatchFunction fn) implements Serializable {
    }

    /** Task: one block split by key hash, one piece per reducer (empty ones too, so piece r goes to reducer r). */
    public static Pieces map(BlockRef block, List<String> keys, Integer reducers) {
        try (BufferAllocator allocator = DataAllocators.child("MapGroupsMap");
             VectorSchemaRoot root = block.ref().get()) {
            List<VectorSchemaRoot> pieces = GroupByExchange.map(root, keys, List.of(), reducers, false, allocator);
            List<ObjectRef<VectorSchemaRoot>> refs = new ArrayList<>();
            try {
                for (VectorSchemaRoot p : pieces) {
                    refs.add(Weft.current().put(p));
                }
                return new Pieces(refs);
            } catch (RuntimeException | Error e) {
                refs.forEach(ObjectRef::close);
                throw e;
            } finally {
                pieces.forEach(VectorSchemaRoot::close);
            }
        }
    }

    /** Task: every group among {@code pieces} through the function; the outputs stored as blocks. */
    public static List<BlockRef> reduce(List<ObjectRef<VectorSchemaRoot>> pieces, Spec spec, DataContext context)
            throws Exception {
        String operator = "MapGroups(" + spec.name() + ")";
        List<VectorSchemaRoot> inputs = new ArrayList<>();
        List<VectorSchemaRoot> pending = new ArrayList<>();
        List<BlockRef> stored = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("MapGroupsReduce")) {
            BufferAllocator previous = DataAllocators.enterTask(allocator);
            try {
                for (ObjectRef<VectorSchemaRoot> p : pieces) {
                    VectorSchemaRoot piece = p.get();
                    if (piece.getRowCount() == 0) {
                        piece.close();
                    } else {
                        inputs.add(piece);
                    }
                }
                if (inputs.isEmpty()) {
                    return List.of();
                }
                Schema first = null;
                long pendingBytes = 0;
                try (VectorSchemaRoot all = ColumnGather.concat(inputs.getFirst().getSchema(), inputs, allocator)) {
                    inputs.forEach(VectorSchemaRoot::close);
                    inputs.clear();
                    GroupedRows groups = GroupedRows.of(all, spec.keys());
                    // One gather puts every group's rows together; each group is then a slice of it (its own
                    // vectors sharing buffers), so the function may return or close it without touching the
                    // others. A gather per group would rescan the whole batch's validity for every group.
                    try (VectorSchemaRoot grouped = groups.gatherAll(all, allocator)) {
                        for (int g = 0; g < groups.groupCount(); g++) {
                            int start = groups.starts()[g];
                            VectorSchemaRoot out = call(spec.fn(), operator,
                                    Batches.slice(grouped, start, groups.starts()[g + 1] - start));
                            if (first == null) {
                                first = out.getSchema();
                            } else {
                                try {
                                    Batches.checkSameSchema(first, out.getSchema(), operator);
                                } catch (RuntimeException e) {
                                    out.close();
                                    throw e;
                                }
                            }
                            pending.add(out);
                            pendingBytes += Batches.sizeBytes(out);
                            if (pendingBytes >= context.targetMinBlockSizeBytes()) {
                                stored.add(flush(pending, allocator));
                                pendingBytes = 0;
                            }
                        }
                    }
                }
                if (!pending.isEmpty()) {
                    stored.add(flush(pending, allocator));
                }
                return stored;
            } catch (Exception | Error e) {
                stored.forEach(b -> b.ref().close());
                throw e;
            } finally {
                inputs.forEach(VectorSchemaRoot::close);
                pending.forEach(VectorSchemaRoot::close);
                DataAllocators.exitTask(previous);
            }
        }
    }

    /** Calls the function on one group (closing the group), returning its checked output in fresh vectors. */
    private static VectorSchemaRoot call(BatchFunction fn, String operator, VectorSchemaRoot group) {
        int rows = group.getRowCount();
        VectorSchemaRoot out;
        try {
            out = fn.apply(group);
        } catch (Exception | Error e) {
            group.close();
            throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + " failed on a group of "
                    + rows + " rows: " + e, e);
        }
        if (out == null) {
            group.close();
            throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + " returned null for a group of "
                    + rows + " rows");
        }
        try {
            Batches.checkColumnLengths(out, operator);
            // The function may return the group itself or share its vectors: move the buffers out before closing.
            return Batches.transfer(out, null);
        } finally {
            if (out != group) {
                out.close();
            }
            group.close();
        }
    }

    private static BlockRef flush(List<VectorSchemaRoot> pending, BufferAllocator allocator) {
        VectorSchemaRoot block = pending.size() == 1 ? pending.getFirst()
                : ColumnGather.concat(pending.getFirst().getSchema(), pending, allocator);
        try (block) {
            return BlockSlicer.put(block, List.of());
        } finally {
            pending.forEach(VectorSchemaRoot::close);
            pending.clear();
        }
    }
}

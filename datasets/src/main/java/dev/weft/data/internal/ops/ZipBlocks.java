package dev.weft.data.internal.ops;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.kernels.ColumnGather;
import dev.weft.data.internal.plan.BlockTransform;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code zip(other)}: row {@code i} of the output is row {@code i} of the input followed by the columns of row
 * {@code i} of {@code other}. Output blocks follow the input's block boundaries; one task per input block reads
 * that block and the slices of the other side's blocks that cover the same rows. Both sides must have the same
 * row count and no column name in common (checked on the driver before any task runs).
 */
public record ZipBlocks(LogicalOp other) implements BlockTransform {
    @Override
    public String explain() {
        return "Zip[2 inputs]";
    }

    @Override
    public List<LogicalOp> sideInputs() {
        return List.of(other);
    }

    @Override
    public boolean needsInputOrder() {
        return true;
    }

    @Override
    public List<BlockRef> apply(Weft weft, List<BlockRef> input, List<List<BlockRef>> sides, DataContext context) {
        List<BlockRef> right = sides.getFirst();
        long leftRows = BlockSlicer.rows(input);
        long rightRows = BlockSlicer.rows(right);
        if (leftRows != rightRows) {
            throw new IllegalArgumentException("zip needs datasets with the same number of rows, got " + leftRows
                    + " rows on the left and " + rightRows + " on the right");
        }
        if (leftRows == 0) {
            return List.of();
        }
        checkNoCommonColumns(firstSchema(input), firstSchema(right));
        List<BlockRef> left = input.stream().filter(b -> b.numRows() > 0).toList();
        long[] cuts = new long[left.size() + 1];
        for (int i = 0; i < left.size(); i++) {
            cuts[i + 1] = cuts[i] + left.get(i).numRows();
        }
        List<List<Slice>> rightSlices = BlockSlicer.cut(right, cuts);
        List<ObjectRef<BlockRef>> launched = new ArrayList<>();
        for (int i = 0; i < left.size(); i++) {
            launched.add(weft.task(ZipBlocks::zipBlock, left.get(i), rightSlices.get(i)).name("Zip#" + i).remote());
        }
        return BlockSlicer.await(weft, launched);
    }

    private static Schema firstSchema(List<BlockRef> blocks) {
        for (BlockRef b : blocks) {
            if (b.numRows() > 0) {
                try (VectorSchemaRoot root = b.ref().get()) {
                    return root.getSchema();
                }
            }
        }
        throw new IllegalStateException("no block with rows among " + blocks.size() + " blocks");
    }

    static void checkNoCommonColumns(Schema left, Schema right) {
        Set<String> names = new LinkedHashSet<>();
        left.getFields().forEach(f -> names.add(f.getName()));
        List<String> common = right.getFields().stream().map(Field::getName).filter(names::contains).toList();
        if (!common.isEmpty()) {
            throw new IllegalArgumentException("zip needs distinct column names, but both datasets have column(s) "
                    + common + " (left columns " + names + ", right columns "
                    + right.getFields().stream().map(Field::getName).toList() + "); rename one side first");
        }
    }

    /** Task: one left block with the right rows for it. */
    public static BlockRef zipBlock(BlockRef left, List<Slice> rightSlices) {
        List<VectorSchemaRoot> rights = new ArrayList<>();
        try (BufferAllocator allocator = DataAllocators.child("Zip");
             VectorSchemaRoot l = left.ref().get()) {
            try {
                int total = 0;
                for (Slice s : rightSlices) {
                    rights.add(s.block().ref().get());
                    total += (int) s.length();
                }
                int[] src = new int[total];
                int[] rows = new int[total];
                int k = 0;
                for (int i = 0; i < rightSlices.size(); i++) {
                    Slice s = rightSlices.get(i);
                    for (long r = s.offset(); r < s.offset() + s.length(); r++, k++) {
                        src[k] = i;
                        rows[k] = (int) r;
                    }
                }
                try (VectorSchemaRoot r = ColumnGather.gatherMany(rights.getFirst().getSchema(), rights, src, rows,
                        total, allocator)) {
                    List<Field> fields = new ArrayList<>(l.getSchema().getFields());
                    fields.addAll(r.getSchema().getFields());
                    List<FieldVector> vectors = new ArrayList<>(l.getFieldVectors());
                    vectors.addAll(r.getFieldVectors());
                    // A view over both sides' vectors: put copies it into the store; l and r still own the vectors.
                    VectorSchemaRoot zipped = new VectorSchemaRoot(fields, vectors, l.getRowCount());
                    LinkedHashSet<String> files = new LinkedHashSet<>(left.inputFiles());
                    rightSlices.forEach(s -> files.addAll(s.block().inputFiles()));
                    return BlockSlicer.put(zipped, List.copyOf(files));
                }
            } finally {
                rights.forEach(VectorSchemaRoot::close);
            }
        }
    }
}

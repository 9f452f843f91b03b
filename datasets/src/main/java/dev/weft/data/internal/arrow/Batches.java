package dev.weft.data.internal.arrow;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/** Operations on Arrow batches that the engine needs everywhere: sizes, copies, slices, concatenation, checks. */
public final class Batches {
    private Batches() {
    }

    /** Bytes held by the batch's buffers. */
    public static long sizeBytes(VectorSchemaRoot root) {
        long total = 0;
        for (FieldVector v : root.getFieldVectors()) {
            total += v.getBufferSize();
        }
        return total;
    }

    /**
     * The allocator new vectors derived from a batch should use: the batch's own when it is one of ours, else
     * (a zero-copy batch over object-store memory, whose allocator is bounded by the stored object's size) the
     * running task's allocator.
     */
    public static BufferAllocator allocatorOf(VectorSchemaRoot root) {
        List<FieldVector> vectors = root.getFieldVectors();
        if (vectors.isEmpty()) {
            return DataAllocators.current();
        }
        BufferAllocator a = vectors.getFirst().getAllocator();
        return DataAllocators.owns(a) ? a : DataAllocators.current();
    }

    /** An empty batch of {@code schema}. */
    public static VectorSchemaRoot empty(Schema schema, BufferAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        root.allocateNew();
        root.setRowCount(0);
        return root;
    }

    /** A new root sharing (zero-copy where aligned) rows {@code [start, start+length)} of {@code root}. */
    public static VectorSchemaRoot slice(VectorSchemaRoot root, int start, int length) {
        if (root.getFieldVectors().isEmpty()) {
            VectorSchemaRoot out = new VectorSchemaRoot(List.of(), List.of(), length);
            return out;
        }
        return root.slice(start, length);
    }

    /**
     * A new root holding every vector of {@code root} moved into new vector objects; {@code root} is left empty.
     * The buffers stay in their allocators: Arrow cannot move ownership between allocator trees, and batches
     * fetched from the object store live in the runtime's tree, not ours.
     */
    public static VectorSchemaRoot transfer(VectorSchemaRoot root, BufferAllocator unused) {
        List<FieldVector> out = new ArrayList<>(root.getFieldVectors().size());
        for (FieldVector v : root.getFieldVectors()) {
            TransferPair tp = v.getTransferPair(v.getAllocator());
            tp.transfer();
            out.add((FieldVector) tp.getTo());
        }
        int rows = root.getRowCount();
        // the schema travels whole: its metadata may mark what the rows are (partial aggregation states)
        return new VectorSchemaRoot(root.getSchema(), out, rows);
    }

    /** Concatenates batches of one schema into a new root from {@code allocator}; the inputs stay the caller's. */
    public static VectorSchemaRoot concat(List<VectorSchemaRoot> roots, BufferAllocator allocator) {
        Schema schema = roots.getFirst().getSchema();
        VectorSchemaRoot out = VectorSchemaRoot.create(schema, allocator);
        try {
            out.allocateNew();
            out.setRowCount(0);
            VectorSchemaRootAppender.append(false, out, roots.toArray(new VectorSchemaRoot[0]));
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /** A new root with the rows of {@code root} where {@code mask} is true (null counts as false). */
    public static VectorSchemaRoot filter(VectorSchemaRoot root, BitVector mask, BufferAllocator allocator) {
        return SelectedRuns.of(mask, root.getRowCount()).copy(root, allocator);
    }

    /** A new root with rows {@code indices[0..count)} of {@code root}, in that order. */
    public static VectorSchemaRoot take(VectorSchemaRoot root, int[] indices, int count, BufferAllocator allocator) {
        List<FieldVector> out = new ArrayList<>();
        try {
            for (FieldVector v : root.getFieldVectors()) {
                FieldVector to = v.getField().createVector(allocator);
                out.add(to);
                to.setInitialCapacity(Math.max(count, 1));
                to.allocateNew();
                if (v instanceof org.apache.arrow.vector.BaseFixedWidthVector fw && !(v instanceof BitVector)) {
                    takeFixedWidth(fw, (org.apache.arrow.vector.BaseFixedWidthVector) to, indices, count);
                    continue;
                }
                TransferPair tp = v.makeTransferPair(to);
                for (int i = 0; i < count; i++) {
                    tp.copyValueSafe(indices[i], i);
                }
                to.setValueCount(count);
            }
        } catch (RuntimeException e) {
            out.forEach(FieldVector::close);
            throw e;
        }
        return new VectorSchemaRoot(root.getSchema().getFields(), out, count);
    }

    /** Gathers fixed-width values with one bulk copy per run of consecutive indices. */
    private static void takeFixedWidth(org.apache.arrow.vector.BaseFixedWidthVector from,
                                       org.apache.arrow.vector.BaseFixedWidthVector to, int[] indices, int count) {
        int width = from.getTypeWidth();
        var src = Segments.of(from.getDataBuffer());
        var dst = Segments.of(to.getDataBuffer());
        int i = 0;
        while (i < count) {
            int start = indices[i];
            int j = i + 1;
            while (j < count && indices[j] == indices[j - 1] + 1) {
                j++;
            }
            java.lang.foreign.MemorySegment.copy(src, (long) start * width, dst, (long) i * width, (long) (j - i) * width);
            i = j;
        }
        var validity = to.getValidityBuffer();
        if (from.getNullCount() == 0) {
            validity.setOne(0, (count + 7) / 8);
        } else {
            for (int k = 0; k < count; k++) {
                if (!from.isNull(indices[k])) {
                    org.apache.arrow.vector.BitVectorHelper.setBit(validity, k);
                }
            }
        }
        to.setValueCount(count);
    }

    /**
     * Checks that every column of a batch a user function returned has as many values as the batch has rows.
     * Fails with a {@link WeftException} naming the operator, the column and both counts.
     */
    public static void checkColumnLengths(VectorSchemaRoot root, String operator) {
        int rows = root.getRowCount();
        List<FieldVector> vectors = root.getFieldVectors();
        for (FieldVector v : vectors) {
            if (v.getValueCount() != rows) {
                String ref = vectors.size() > 1 ? " (first column '" + vectors.getFirst().getName() + "' has "
                        + vectors.getFirst().getValueCount() + ")" : "";
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + " returned column '"
                        + v.getName() + "' with " + v.getValueCount() + " values but the batch has " + rows
                        + " rows" + ref + "; every column must have the batch's row count");
            }
        }
    }

    /**
     * Checks that {@code actual} has the fields of {@code expected}: fails naming the operator and the first
     * column that is missing, extra or of another type.
     */
    public static void checkSameSchema(Schema expected, Schema actual, String operator) {
        if (expected.equals(actual)) {
            return;
        }
        List<Field> e = expected.getFields();
        List<Field> a = actual.getFields();
        for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
            Field fe = i < e.size() ? e.get(i) : null;
            Field fa = i < a.size() ? a.get(i) : null;
            if (fe == null) {
                throw schemaError(operator, "column '" + fa.getName() + "' is extra", expected, actual);
            }
            if (fa == null) {
                throw schemaError(operator, "column '" + fe.getName() + "' is missing", expected, actual);
            }
            if (!fe.getName().equals(fa.getName())) {
                throw schemaError(operator, "column " + i + " is '" + fa.getName() + "' instead of '" + fe.getName() + "'",
                        expected, actual);
            }
            if (!fe.getType().equals(fa.getType())) {
                throw schemaError(operator, "column '" + fe.getName() + "' has type " + fa.getType() + " instead of "
                        + fe.getType(), expected, actual);
            }
        }
    }

    private static WeftException schemaError(String operator, String what, Schema expected, Schema actual) {
        return new WeftException(ErrorType.USER_ERROR, "operator " + operator + " returned a batch whose schema differs from "
                + "its earlier batches: " + what + " (expected " + expected + ", got " + actual + ")");
    }
}

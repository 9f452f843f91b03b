package dev.weft.connectors.internal.text;

import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds Arrow batches row by row for the text formats: data columns by their index in the file's schema (those
 * not projected are skipped, so their cells need not be converted), partition columns filled with the file's
 * constants when a batch is finished. Not thread-safe. An unfinished batch is released by {@link #close()}.
 */
public final class BatchBuilder implements AutoCloseable {
    private final Schema output;
    private final int[] outIndex;
    private final CellParser[] parsers;
    private final int[] partitionOut;
    private final Object[] partitionValues;
    private final BufferAllocator allocator;
    private final int batchRows;
    private VectorSchemaRoot root;
    private FieldVector[] vectors;
    private int row;

    public BatchBuilder(Schema dataSchema, Schema output, Partitioning partitioning, InputFile file,
            BufferAllocator allocator, int batchRows) {
        this.output = output;
        this.allocator = allocator;
        this.batchRows = batchRows;
        List<Field> data = dataSchema.getFields();
        outIndex = new int[data.size()];
        parsers = new CellParser[data.size()];
        for (int i = 0; i < data.size(); i++) {
            outIndex[i] = indexOf(output, data.get(i).getName());
            if (outIndex[i] >= 0) {
                parsers[i] = CellParser.forType(data.get(i).getType());
            }
        }
        partitionOut = new int[partitioning.keys().size()];
        partitionValues = new Object[partitioning.keys().size()];
        for (int k = 0; k < partitionOut.length; k++) {
            partitionOut[k] = indexOf(output, partitioning.keys().get(k));
            partitionValues[k] = partitioning.value(file, k);
        }
    }

    private static int indexOf(Schema s, String name) {
        List<Field> f = s.getFields();
        for (int i = 0; i < f.size(); i++) {
            if (f.get(i).getName().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether data column {@code col} is in the output. */
    public boolean wants(int col) {
        return outIndex[col] >= 0;
    }

    private void ensureStarted() {
        if (root == null) {
            root = VectorSchemaRoot.create(output, allocator);
            vectors = root.getFieldVectors().toArray(new FieldVector[0]);
            for (FieldVector v : vectors) {
                v.setInitialCapacity(batchRows);
                v.allocateNew();
            }
            row = 0;
        }
    }

    /** The vector of data column {@code col} in the current batch; {@code wants(col)} must hold. */
    public FieldVector vector(int col) {
        ensureStarted();
        return vectors[outIndex[col]];
    }

    /** The current row index in the batch. */
    public int row() {
        ensureStarted();
        return row;
    }

    /** Parses {@code text} into data column {@code col} of the current row. */
    public void parse(int col, String text) {
        ensureStarted();
        parsers[col].parse(vectors[outIndex[col]], row, text);
    }

    public void endRow() {
        ensureStarted();
        row++;
    }

    public int rows() {
        return root == null ? 0 : row;
    }

    public boolean full() {
        return root != null && row >= batchRows;
    }

    /** The finished batch (owned by the caller), or {@code null} if no row was added. */
    public VectorSchemaRoot finish() {
        if (root == null || row == 0) {
            return null;
        }
        for (int k = 0; k < partitionOut.length; k++) {
            if (partitionOut[k] >= 0) {
                dev.weft.connectors.internal.fs.Partitioning.fill(vectors[partitionOut[k]], partitionValues[k], row);
            }
        }
        for (FieldVector v : vectors) {
            v.setValueCount(row);
        }
        root.setRowCount(row);
        VectorSchemaRoot out = root;
        root = null;
        vectors = null;
        return out;
    }

    @Override
    public void close() {
        if (root != null) {
            root.close();
            root = null;
        }
    }
}

package dev.weft.data.internal.arrow;

import dev.weft.data.Row;
import dev.weft.data.internal.RowSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds one batch from rows as they come, the result of {@link RowBatches#fromRows} over all of them. Once the
 * first rows have fixed the columns (every row so far with the same names, every column with a non-null value),
 * each row goes straight into the batch's column vectors and can be collected, so a function over a large batch does not
 * keep a row object per output row alive (which made the young collections copy them all). A row with other
 * columns sends the rows back through {@link RowBatches#fromRows}. Not thread-safe; the caller closes it.
 */
public final class RowBatchBuilder implements AutoCloseable {
    /** Rows buffered before the columns are fixed (and between attempts while a column is still all null). */
    private static final int SETTLE_EVERY = 1024;

    private final BufferAllocator allocator;
    private final String operator;
    private final Schema hint;
    private List<Row> pending = new ArrayList<>();
    /** Once columns are fixed: the batch being written, its columns and writers; else null. */
    private VectorSchemaRoot root;
    private RowSchema columns;
    private RowSchema aligned;
    private ColumnWriter[] writers;
    private int written;
    /** Rows of differing columns were seen: everything goes through {@link RowBatches#fromRows}. */
    private boolean general;
    /** While settling: the first row's columns, the types found so far and how many pending rows were looked at. */
    private RowSchema firstSchema;
    private ArrowType[] types;
    private int checked;
    private final int expectedRows;

    /** A builder of about {@code expectedRows} rows (a size hint), typed as {@link RowBatches#fromRows} does. */
    public RowBatchBuilder(BufferAllocator allocator, String operator, Schema hint, int expectedRows) {
        this.allocator = allocator;
        this.operator = operator;
        this.hint = hint;
        this.expectedRows = expectedRows;
    }

    public void add(Row row) {
        if (writers != null) {
            RowSchema s = RowSchema.of(row);
            if (s == aligned || columns.sameNames(s)) {
                aligned = s;
                for (int j = 0; j < writers.length; j++) {
                    Object value = RowSchema.value(row, j);
                    if (value != null) {
                        writers[j].set(written, value);
                    }
                }
                written++;
                return;
            }
            unsettle();
        }
        pending.add(row);
        if (!general && pending.size() % SETTLE_EVERY == 0) {
            trySettle();
        }
    }

    /**
     * Fixes the columns from the pending rows when they allow it and writes those rows. Remembers how far it
     * has looked, so a column that stays null for long costs one look per row, not one per attempt.
     */
    private void trySettle() {
        if (firstSchema == null) {
            firstSchema = RowSchema.of(pending.getFirst());
            types = new ArrowType[firstSchema.size()];
        }
        for (; checked < pending.size(); checked++) {
            Row r = pending.get(checked);
            if (!firstSchema.sameNames(RowSchema.of(r))) {
                general = true;
                return;
            }
            for (int j = 0; j < types.length; j++) {
                Object value = types[j] == null ? RowSchema.value(r, j) : null;
                if (value != null) {
                    types[j] = RowBatches.typeOf(value, firstSchema.name(j), operator);
                }
            }
        }
        for (ArrowType t : types) {
            if (t == null) {
                return;
            }
        }
        root = RowBatches.create(firstSchema.columns().toArray(String[]::new), types, allocator, hint);
        columns = firstSchema;
        aligned = firstSchema;
        List<FieldVector> vectors = root.getFieldVectors();
        writers = new ColumnWriter[vectors.size()];
        for (int j = 0; j < writers.length; j++) {
            writers[j] = ColumnWriter.of(vectors.get(j), operator, Math.max(expectedRows, pending.size()));
        }
        List<Row> rows = pending;
        pending = new ArrayList<>();
        for (Row r : rows) {
            add(r);
        }
    }

    /** Turns what was written back into rows, to go through the general path with the rest. */
    private void unsettle() {
        VectorSchemaRoot done = finishWriters();
        try (done) {
            pending = new ArrayList<>(RowBatches.toRows(done));
        }
        written = 0;
        general = true;
    }

    private VectorSchemaRoot finishWriters() {
        VectorSchemaRoot r = root;
        root = null;
        ColumnWriter[] w = writers;
        writers = null;
        try {
            for (ColumnWriter c : w) {
                c.finish(written);
            }
            r.setRowCount(written);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The batch of every row added, or null when none was; the caller owns it. */
    public VectorSchemaRoot finish() {
        if (writers != null) {
            return finishWriters();
        }
        if (pending.isEmpty()) {
            return null;
        }
        List<Row> rows = pending;
        pending = new ArrayList<>();
        return RowBatches.fromRows(rows, allocator, operator, hint);
    }

    @Override
    public void close() {
        if (root != null) {
            root.close();
            root = null;
        }
        writers = null;
        pending = new ArrayList<>();
    }
}

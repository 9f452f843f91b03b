package dev.weft.data;

import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.TypedColumns;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * A batch of rows for {@link BatchMapper}s: whole columns read as Java arrays ({@code doubles("x")},
 * {@code strings("s")}, {@code dates("d")}, ...; any integer or float column reads as the number type asked for) and
 * an output {@link Builder} that allocates, fills, counts and hands over its vectors itself. The raw Arrow batch
 * stays available through {@link #arrow()}.
 *
 * <p>Ownership: an input batch belongs to the engine for the duration of one call; arrays read from it are copies
 * the function may keep. A batch built by {@link #builder()} belongs to the engine once returned. Not thread-safe.
 */
public final class Batch {
    private final VectorSchemaRoot root;

    private Batch(VectorSchemaRoot root) {
        this.root = root;
    }

    /** A view of {@code root} (not copied). */
    public static Batch of(VectorSchemaRoot root) {
        return new Batch(root);
    }

    /** A {@link BatchFunction} running {@code mapper}: {@code ds.mapBatches(Batch.map(b -> ...))}. */
    public static BatchFunction map(BatchMapper mapper) {
        return mapper;
    }

    public int numRows() {
        return root.getRowCount();
    }

    /** The column names in order. */
    public List<String> columns() {
        return root.getSchema().getFields().stream().map(f -> f.getName()).toList();
    }

    /** The underlying Arrow batch (the same ownership rules apply). */
    public VectorSchemaRoot arrow() {
        return root;
    }

    private FieldVector vector(String column) {
        FieldVector v = root.getVector(column);
        if (v == null) {
            throw new IllegalArgumentException("batch has no column '" + column + "'; columns: " + columns());
        }
        return v;
    }

    /** Where column {@code column} is null, or {@code null} when it has no nulls. */
    public boolean[] nulls(String column) {
        return TypedColumns.nulls(vector(column), numRows());
    }

    public boolean isNull(String column, int row) {
        return vector(column).isNull(row);
    }

    /** A numeric column as doubles (nulls read as 0; see {@link #nulls}). */
    public double[] doubles(String column) {
        return TypedColumns.doubles(vector(column), numRows());
    }

    /** An integer column as longs (nulls read as 0). */
    public long[] longs(String column) {
        return TypedColumns.longs(vector(column), numRows());
    }

    /** A boolean column (nulls read as false). */
    public boolean[] booleans(String column) {
        return TypedColumns.booleans(vector(column), numRows());
    }

    /** A string column; null entries are null rows. */
    public String[] strings(String column) {
        return TypedColumns.objects(vector(column), numRows(), new String[numRows()], String.class, "string");
    }

    public LocalDate[] dates(String column) {
        return TypedColumns.objects(vector(column), numRows(), new LocalDate[numRows()], LocalDate.class, "date");
    }

    /** A timestamp column with a time zone as instants. */
    public Instant[] timestamps(String column) {
        return TypedColumns.objects(vector(column), numRows(), new Instant[numRows()], Instant.class, "timestamp");
    }

    public BigDecimal[] decimals(String column) {
        return TypedColumns.objects(vector(column), numRows(), new BigDecimal[numRows()], BigDecimal.class, "decimal");
    }

    /** A builder for an output batch of this batch's row count, allocating from this batch's allocator. */
    public Builder builder() {
        return new Builder(this, numRows());
    }

    /** A builder for an output batch of {@code rows} rows. */
    public Builder builder(int rows) {
        return new Builder(this, rows);
    }

    /**
     * Columns of an output batch, in the order they are added; a column added twice keeps its first position and
     * its last values. Every column must have the builder's row count. Vectors are made and counted here; if the
     * builder is dropped without {@link #build()}, {@link #close()} frees them.
     */
    public static final class Builder implements AutoCloseable {
        private final Batch input;
        private final int rows;
        private final BufferAllocator allocator;
        private final Map<String, FieldVector> columns = new LinkedHashMap<>();

        private Builder(Batch input, int rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must be >= 0, got " + rows);
            }
            this.input = input;
            this.rows = rows;
            this.allocator = Batches.allocatorOf(input.root);
        }

        private Builder add(String name, int length, java.util.function.Supplier<FieldVector> make) {
            if (length != rows) {
                throw new IllegalArgumentException("column '" + name + "' has " + length + " values but the batch has "
                        + rows + " rows");
            }
            FieldVector v = make.get();
            FieldVector old = columns.put(name, v);
            if (old != null) {
                old.close();
            }
            return this;
        }

        public Builder put(String name, double[] values) {
            return put(name, values, null);
        }

        /** A float64 column; {@code nulls} (or null) marks null rows. */
        public Builder put(String name, double[] values, boolean[] nulls) {
            return add(name, values.length, () -> TypedColumns.ofDoubles(name, values, nulls, allocator));
        }

        public Builder put(String name, long[] values) {
            return put(name, values, null);
        }

        /** An int64 column; {@code nulls} (or null) marks null rows. */
        public Builder put(String name, long[] values, boolean[] nulls) {
            return add(name, values.length, () -> TypedColumns.ofLongs(name, values, nulls, allocator));
        }

        /** An int32 column. */
        public Builder put(String name, int[] values) {
            return add(name, values.length, () -> TypedColumns.ofInts(name, values, null, allocator));
        }

        public Builder put(String name, boolean[] values) {
            return add(name, values.length, () -> TypedColumns.ofBooleans(name, values, null, allocator));
        }

        /**
         * A column of strings, {@code LocalDate}s, {@code Instant}s, {@code LocalDateTime}s or {@code BigDecimal}s
         * (typed by its first non-null value; null entries are null rows).
         */
        public Builder put(String name, Object[] values) {
            return add(name, values.length, () -> TypedColumns.ofObjects(name, values, allocator, "mapBatches"));
        }

        /** The input's column {@code name}, unchanged (shares its buffers; nothing is copied). */
        public Builder keep(String name) {
            if (rows != input.numRows()) {
                throw new IllegalArgumentException("keep('" + name + "') needs the input's " + input.numRows()
                        + " rows, but the builder has " + rows);
            }
            FieldVector in = input.vector(name);
            TransferPair tp = in.getTransferPair(name, allocator);
            tp.splitAndTransfer(0, rows);
            return add(name, rows, () -> (FieldVector) tp.getTo());
        }

        /** Every column of the input, unchanged. */
        public Builder keepAll() {
            input.columns().forEach(this::keep);
            return this;
        }

        /** The output batch; the builder is empty afterwards. */
        public Batch build() {
            List<FieldVector> vectors = new ArrayList<>(columns.values());
            columns.clear();
            return new Batch(new VectorSchemaRoot(vectors.stream().map(FieldVector::getField).toList(), vectors, rows));
        }

        @Override
        public void close() {
            columns.values().forEach(FieldVector::close);
            columns.clear();
        }
    }
}

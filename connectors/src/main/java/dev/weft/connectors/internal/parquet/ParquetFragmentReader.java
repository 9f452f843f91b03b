package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.SchemaMismatchException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.ReadSettings;
import dev.weft.connectors.internal.fs.Partitioning;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

/**
 * Decodes the projected columns of a {@link ParquetFragment}'s row groups into Arrow batches. Only the projected
 * column chunks are fetched ({@code setRequestedSchema}); batches never span row groups. Partition columns are
 * filled with the file's constants; columns the file lacks (schema merging) are all null.
 *
 * <p>Errors name the file and the row group (and column). With {@code ignoreCorruptFiles}, a failing file ends the
 * fragment early, is counted in {@link ReadCounters#filesSkippedCorrupt()} and batches already returned stay valid.
 */
public final class ParquetFragmentReader implements BatchReader {
    private final ParquetFragment fragment;
    private final Schema output;
    private final Partitioning partitioning;
    private final ReadSettings settings;
    private final Configuration conf;
    private final BufferAllocator allocator;
    private final ReadCounters counters;

    private ParquetFileReader reader;
    /** For each output column: index into decoders, or -1 for partition / missing. */
    private int[] columnSlot;
    private Object[] partitionValue;
    private boolean[] isPartition;
    private List<ColumnDescriptor> requested;
    private List<Field> requestedFields;
    private ColumnChunkDecoder[] decoders;
    private int groupIndex = -1;
    private long groupRowsLeft;
    private long limitLeft;
    private boolean done;
    private java.util.function.BiConsumer<String, Throwable> onSkip = (file, cause) -> {};

    public ParquetFragmentReader(ParquetFragment fragment, Schema output, Partitioning partitioning,
            ReadSettings settings, Configuration conf, BufferAllocator allocator, ReadCounters counters) {
        this.fragment = fragment;
        this.output = output;
        this.partitioning = partitioning;
        this.settings = settings;
        this.conf = conf;
        this.allocator = allocator;
        this.counters = counters;
        this.limitLeft = settings.limit();
    }

    /** Called with the file and the error when {@code ignoreCorruptFiles} skips the file. */
    public ParquetFragmentReader onCorruptFileSkipped(java.util.function.BiConsumer<String, Throwable> listener) {
        this.onSkip = listener;
        return this;
    }

    private String path() {
        return fragment.file().path();
    }

    private void open() {
        try {
            ParquetReadOptions.Builder builder = HadoopReadOptions.builder(conf).withAllocator(ChunkBuffers.SHARED);
            String scheme = new Path(path()).toUri().getScheme();
            if (conf.get(VECTORED_IO) == null && (scheme == null || "file".equals(scheme))) {
                // Vectored reads of a local file gain nothing and hand back slices of a merged buffer, which
                // ChunkBuffers cannot pool; plain reads release whole buffers. Object stores keep parquet's default.
                builder.withUseHadoopVectoredIo(false);
            }
            codecs = new SnappyPages.Codecs(builder.build().getCodecFactory());
            ParquetReadOptions options = builder.withCodecFactory(codecs).build();
            reader = ParquetFileReader.open(dev.weft.connectors.internal.fs.HadoopFiles.parquetInput(new Path(path()), conf), options);
        } catch (IOException | RuntimeException e) {
            throw new FileReadException(path(), "footer", "not a readable Parquet file (" + describe(e) + ")", e);
        }
        counters.addFilesOpened(1);
        MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
        List<Field> outFields = output.getFields();
        columnSlot = new int[outFields.size()];
        isPartition = new boolean[outFields.size()];
        partitionValue = new Object[outFields.size()];
        requested = new ArrayList<>();
        requestedFields = new ArrayList<>();
        for (int i = 0; i < outFields.size(); i++) {
            Field f = outFields.get(i);
            int pk = partitioning.keys().indexOf(f.getName());
            columnSlot[i] = -1;
            if (pk >= 0) {
                isPartition[i] = true;
                partitionValue[i] = partitioning.value(fragment.file(), pk);
                continue;
            }
            if (!fileSchema.containsField(f.getName())) {
                if (!f.isNullable()) {
                    throw new SchemaMismatchException("Parquet file " + path() + " has no column '" + f.getName()
                            + "', which the dataset schema requires (columns of the file: "
                            + fileSchema.getFields().stream().map(org.apache.parquet.schema.Type::getName).toList() + ")");
                }
                continue;
            }
            Field fileField = ParquetSchemas.toArrow(fileSchema.getType(f.getName()), path());
            if (!fileField.getType().equals(f.getType())) {
                throw new SchemaMismatchException("column '" + f.getName() + "' is " + fileField.getType()
                        + " in Parquet file " + path() + " but " + f.getType() + " in the dataset schema");
            }
            columnSlot[i] = requested.size();
            requested.add(fileSchema.getColumnDescription(new String[] {f.getName()}));
            requestedFields.add(f);
        }
        reader.setRequestedSchema(requested);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static final String VECTORED_IO = "parquet.hadoop.vectored.io.enabled";

    /** The file reader's codecs: snappy pages reach the decoders compressed (see {@link SnappyPages}). */
    private SnappyPages.Codecs codecs;

    /** The row group being decoded, whose page buffers are released when it is done. */
    private PageReadStore group;

    private boolean nextGroup() {
        groupIndex++;
        if (groupIndex >= fragment.rowGroups().size()) {
            return false;
        }
        int ordinal = fragment.rowGroups().get(groupIndex);
        BlockMetaData block = reader.getRowGroups().get(ordinal);
        PageReadStore store;
        closeGroup();
        try {
            store = reader.readRowGroup(ordinal);
            group = store;
        } catch (IOException | RuntimeException e) {
            throw corruptGroup(ordinal, null, e);
        }
        if (store == null) {
            throw corruptGroup(ordinal, null, new IOException("row group missing"));
        }
        long bytes = 0;
        java.util.Map<String, ColumnChunkMetaData> chunks = new java.util.HashMap<>();
        for (ColumnChunkMetaData c : block.getColumns()) {
            if (requested.stream().anyMatch(d -> java.util.Arrays.equals(d.getPath(), c.getPath().toArray()))) {
                bytes += c.getTotalSize();
                chunks.put(c.getPath().toDotString(), c);
            }
        }
        counters.addRowGroupsRead(1);
        counters.addBytesRead(bytes);
        decoders = new ColumnChunkDecoder[requested.size()];
        for (int c = 0; c < requested.size(); c++) {
            try {
                decoders[c] = ColumnDecoders.create(requested.get(c), requestedFields.get(c),
                        new SnappyPages(store.getPageReader(requested.get(c)), codecs));
                ColumnChunkMetaData meta = chunks.get(String.join(".", requested.get(c).getPath()));
                if (decoders[c] instanceof BinaryDecoder binary && meta != null && meta.getValueCount() > 0) {
                    // Uncompressed chunk bytes hold each value's 4-byte length (PLAIN) and page headers: an upper bound.
                    binary.bytesPerValueHint(Math.max(0, (double) meta.getTotalUncompressedSize() / meta.getValueCount() - 4));
                }
            } catch (RuntimeException e) {
                throw corruptGroup(ordinal, requestedFields.get(c).getName(), e);
            }
        }
        groupRowsLeft = store.getRowCount();
        return true;
    }

    private FileReadException corruptGroup(int ordinal, String column, Throwable e) {
        String where = "row group " + ordinal + " of " + reader.getRowGroups().size()
                + (column == null ? "" : ", column '" + column + "'");
        return new FileReadException(path(), where, "corrupt Parquet data (" + describe(e) + ")", e);
    }

    @Override
    public VectorSchemaRoot next() {
        if (done) {
            return null;
        }
        try {
            return nextBatch();
        } catch (FileReadException e) {
            if (!settings.ignoreCorruptFiles()) {
                close();
                throw e;
            }
            counters.addFilesSkippedCorrupt(1);
            onSkip.accept(path(), e);
            close();
            return null;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private VectorSchemaRoot nextBatch() {
        if (limitLeft == 0) {
            close();
            return null;
        }
        if (reader == null) {
            open();
        }
        while (groupRowsLeft == 0) {
            if (limitLeft == 0 || !nextGroup()) {
                close();
                return null;
            }
        }
        int rows = (int) Math.min(Math.min(settings.batchRows(), groupRowsLeft), limitLeft);
        VectorSchemaRoot root = VectorSchemaRoot.create(output, allocator);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int i = 0; i < vectors.size(); i++) {
                FieldVector v = vectors.get(i);
                if (isPartition[i]) {
                    Partitioning.fill(v, partitionValue[i], rows);
                    continue;
                }
                v.setInitialCapacity(rows);
                v.allocateNew();
                if (columnSlot[i] < 0) {
                    v.setValueCount(rows);
                    continue;
                }
                try {
                    decoders[columnSlot[i]].read(v, rows);
                } catch (RuntimeException e) {
                    throw corruptGroup(fragment.rowGroups().get(groupIndex), v.getName(), e);
                }
            }
            root.setRowCount(rows);
        } catch (RuntimeException e) {
            root.close();
            throw e;
        }
        groupRowsLeft -= rows;
        limitLeft -= rows;
        counters.addRowsRead(rows);
        return root;
    }

    /** Gives the finished row group's chunk buffers back (its values were all decoded into Arrow). */
    private void closeGroup() {
        decoders = null;
        if (group instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // Releasing read buffers cannot lose data; the next read allocates fresh ones.
            }
        }
        group = null;
    }

    @Override
    public void close() {
        done = true;
        closeGroup();
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // Nothing was written; a failed close of a read-only file loses nothing.
            }
            reader = null;
        }
    }
}

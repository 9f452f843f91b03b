package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.internal.BatchWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Writes Arrow batches of one schema to one Parquet file through parquet-mr's {@link ParquetWriter}. Not
 * thread-safe. The file is complete only after {@link #close()}; the caller deletes it if anything failed.
 */
public final class ParquetBatchWriter implements BatchWriter {
    private final ParquetWriter<ArrowWriteSupport.Cursor> writer;
    private final ArrowWriteSupport.Cursor cursor = new ArrowWriteSupport.Cursor();
    private final Schema schema;
    private final String path;
    private long rows;
    private boolean closed;

    /** Options of the Parquet writer. */
    public record Options(CompressionCodecName codec, long rowGroupBytes, int pageBytes, boolean dictionary) {
        public static Options defaults() {
            return new Options(CompressionCodecName.SNAPPY, 128L << 20, 1 << 20, true);
        }
    }

    public ParquetBatchWriter(String path, Schema schema, Options options, Configuration conf) throws IOException {
        this.schema = schema;
        this.path = path;
        ArrowWriteSupport support = new ArrowWriteSupport(schema);
        this.writer = new Builder(HadoopOutputFile.fromPath(new Path(path), conf), support)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(options.codec())
                .withRowGroupSize(options.rowGroupBytes())
                .withPageSize(options.pageBytes())
                .withDictionaryEncoding(options.dictionary())
                .withValidation(false)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .build();
    }

    @Override
    public void write(VectorSchemaRoot batch) {
        if (!batch.getSchema().equals(schema)) {
            throw new IllegalArgumentException("batch schema " + batch.getSchema() + " differs from the schema of "
                    + path + ": " + schema);
        }
        cursor.batch = batch;
        int n = batch.getRowCount();
        try {
            for (int r = 0; r < n; r++) {
                cursor.row = r;
                writer.write(cursor);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + " at row " + rows, e);
        } finally {
            cursor.batch = null;
        }
        rows += n;
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path, e);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<ArrowWriteSupport.Cursor, Builder> {
        private final ArrowWriteSupport support;

        Builder(org.apache.parquet.io.OutputFile file, ArrowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<ArrowWriteSupport.Cursor> getWriteSupport(Configuration conf) {
            return support;
        }
    }
}

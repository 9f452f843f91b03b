package dev.weft.connectors.internal.sink;

import dev.weft.connectors.internal.BatchWriter;
import dev.weft.connectors.internal.parquet.ParquetBatchWriter;
import java.io.IOException;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Writes Parquet files (one per write task) into a directory, all or nothing. Immutable, serializable. */
public final class ParquetSink extends StagedFileSink {
    private final CompressionCodecName codec;
    private final long rowGroupBytes;
    private final boolean dictionary;

    public ParquetSink(String target, Map<String, String> hadoop, WriteMode mode, CompressionCodecName codec,
            long rowGroupBytes, boolean dictionary) {
        super(target, hadoop, mode);
        this.codec = codec;
        this.rowGroupBytes = rowGroupBytes;
        this.dictionary = dictionary;
    }

    @Override
    public String name() {
        return "Parquet";
    }

    @Override
    public String describe() {
        return super.describe() + ", compression=" + codec.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    protected String extension() {
        return codec == CompressionCodecName.UNCOMPRESSED ? "parquet"
                : codec.name().toLowerCase(java.util.Locale.ROOT) + ".parquet";
    }

    @Override
    protected BatchWriter openWriter(String path, Schema schema, Configuration conf) throws IOException {
        return new ParquetBatchWriter(path, schema,
                new ParquetBatchWriter.Options(codec, rowGroupBytes, 1 << 20, dictionary), conf);
    }
}

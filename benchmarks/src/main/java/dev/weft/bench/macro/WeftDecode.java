package dev.weft.bench.macro;

import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.ReadSettings;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import dev.weft.connectors.internal.parquet.ParquetFragment;
import dev.weft.connectors.internal.parquet.ParquetFragmentReader;
import dev.weft.connectors.internal.parquet.ParquetSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The Weft side of {@link Workload#DEC}: Weft's Parquet reader (the one every read task runs) decoding every column
 * of every file into Arrow vectors on the calling thread, one file after the other, with batches of 4,096 rows
 * (Spark's vectorized-reader batch size). The values are folded into the check values as they arrive, the way
 * Spark's side folds its column vectors, so both sides touch every decoded value once.
 */
final class WeftDecode {
    private static final int BATCH_ROWS = 4096;

    private WeftDecode() {
    }

    static Map<String, Object> decode(Path dir) {
        Configuration conf = HadoopConf.of(Map.of());
        long count = 0;
        long sumId = 0;
        long sumKey = 0;
        double sumX = 0;
        long maxTs = Long.MIN_VALUE;
        byte[] maxS = null;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (Path file : ParquetColumnScan.files(dir)) {
                ParquetMetadata footer = ParquetFileReader.readFooter(conf,
                        new org.apache.hadoop.fs.Path(file.toUri()), ParquetMetadataConverter.NO_FILTER);
                Schema schema = ParquetSchemas.toArrow(footer.getFileMetaData().getSchema(), "events");
                List<Integer> groups = new ArrayList<>();
                long rows = 0;
                long compressed = 0;
                for (int g = 0; g < footer.getBlocks().size(); g++) {
                    BlockMetaData b = footer.getBlocks().get(g);
                    groups.add(g);
                    rows += b.getRowCount();
                    compressed += b.getCompressedSize();
                }
                InputFile input = new InputFile(file.toUri().toString(), Files.size(file), List.of(), List.of());
                try (ParquetFragmentReader reader = new ParquetFragmentReader(
                        new ParquetFragment(input, groups, rows, compressed), schema, Partitioning.NONE,
                        new ReadSettings(BATCH_ROWS, Long.MAX_VALUE, false), conf, allocator, new ReadCounters())) {
                    VectorSchemaRoot b;
                    while ((b = reader.next()) != null) {
                        try (VectorSchemaRoot batch = b) {
                            int n = batch.getRowCount();
                            count += n;
                            ArrowBuf id = batch.getVector("id").getDataBuffer();
                            ArrowBuf key = batch.getVector("key").getDataBuffer();
                            ArrowBuf x = batch.getVector("x").getDataBuffer();
                            ArrowBuf ts = batch.getVector("ts").getDataBuffer();
                            for (int i = 0; i < n; i++) {
                                long off = (long) i * 8;
                                sumId += id.getLong(off);
                                sumKey += key.getLong(off);
                                sumX += x.getDouble(off);
                                maxTs = Math.max(maxTs, ts.getLong(off));
                            }
                            maxS = WeftWorkloads.max((VarCharVector) batch.getVector("s"), maxS);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return WeftWorkloads.allColumnChecks(count, sumId, sumKey, sumX, maxS, maxTs);
    }
}

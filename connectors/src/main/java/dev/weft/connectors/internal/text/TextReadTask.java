package dev.weft.connectors.internal.text;

import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.TaskBatches;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.data.CloseableIterator;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads whole text-format files into batches. Serializable; repeatable. With {@code ignoreCorruptFiles} a file
 * failing with a {@link FileReadException} ends early and is reported as skipped (batches already returned from it
 * stay valid).
 */
public record TextReadTask(List<InputFile> files, TextFormat format, String dataSchemaJson, String outputSchemaJson,
        Partitioning partitioning, Map<String, String> hadoopSettings, int batchRows, long limit,
        ReadTaskMetadata metadata, long plannedFilesPruned) implements ReadTask {

    public TextReadTask {
        files = List.copyOf(files);
        hadoopSettings = Map.copyOf(hadoopSettings);
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> read(ReadContext context) throws IOException {
        Schema data = Schema.fromJSON(dataSchemaJson);
        Schema out = Schema.fromJSON(outputSchemaJson);
        Configuration conf = HadoopConf.of(hadoopSettings);
        ReadCounters counters = new ReadCounters();
        counters.addFilesPrunedByPartition(plannedFilesPruned);
        boolean ignore = context.dataContext().ignoreCorruptFiles();
        return new TaskBatches<>(files, f -> {
            long left = limit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, limit - counters.rowsRead());
            BatchBuilder builder = new BatchBuilder(data, out, partitioning, f, context.allocator(), batchRows);
            BatchReader r = format.open(f, data, conf, builder, counters, left);
            return ignore ? skipping(r, f, context, counters) : r;
        }, context, counters);
    }

    private static BatchReader skipping(BatchReader r, InputFile f, ReadContext context, ReadCounters counters) {
        return new BatchReader() {
            @Override
            public VectorSchemaRoot next() {
                try {
                    return r.next();
                } catch (FileReadException e) {
                    counters.addFilesSkippedCorrupt(1);
                    context.recordCorruptFileSkipped(f.path(), e);
                    r.close();
                    return null;
                }
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }
}

package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.ReadSettings;
import dev.weft.connectors.internal.TaskBatches;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.Partitioning;
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
 * Reads a set of row groups (of one or more files) into Arrow batches. Serializable with everything it holds
 * (the schema travels as JSON, Hadoop settings as a map); repeatable. The first task of a read also reports what
 * planning pruned and skipped, so those numbers reach {@code stats()}.
 */
public record ParquetReadTask(List<ParquetFragment> fragments, String schemaJson, Partitioning partitioning,
        Map<String, String> hadoopSettings, int batchRows, long limit, ReadTaskMetadata metadata,
        long plannedRowGroupsPruned, long plannedFilesPruned, Map<String, String> plannedSkips) implements ReadTask {

    public ParquetReadTask {
        fragments = List.copyOf(fragments);
        hadoopSettings = Map.copyOf(hadoopSettings);
        plannedSkips = Map.copyOf(plannedSkips);
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> read(ReadContext context) throws IOException {
        Schema schema = Schema.fromJSON(schemaJson);
        Configuration conf = HadoopConf.of(hadoopSettings);
        boolean ignoreCorrupt = context.dataContext().ignoreCorruptFiles();
        ReadCounters counters = new ReadCounters();
        counters.addRowGroupsPrunedByStatistics(plannedRowGroupsPruned);
        counters.addFilesPrunedByPartition(plannedFilesPruned);
        plannedSkips.forEach((file, why) ->
                context.recordCorruptFileSkipped(file, new FileReadException(file, "footer", why, null)));
        return new TaskBatches<>(fragments, f -> {
            long left = limit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, limit - counters.rowsRead());
            return new ParquetFragmentReader(f, schema, partitioning, new ReadSettings(batchRows, left, ignoreCorrupt),
                    conf, context.allocator(), counters).onCorruptFileSkipped(context::recordCorruptFileSkipped);
        }, context, counters);
    }
}

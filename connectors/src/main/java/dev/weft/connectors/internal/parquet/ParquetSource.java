package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.internal.filter.ConstantEvaluator;
import dev.weft.connectors.internal.filter.ExprTranslator;
import dev.weft.connectors.internal.filter.Pred;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.Expr;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import dev.weft.data.SupportsFilterPushdown;
import dev.weft.data.SupportsLimitPushdown;
import dev.weft.data.SupportsProjectionPushdown;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.compat.RowGroupFilter;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * A Parquet dataset: files planned into read tasks of whole row groups. Projection reads only the projected
 * column chunks; a pushed filter drops files by hive partition values and row groups by their statistics
 * (the engine still applies the filter to the rows, {@link SupportsFilterPushdown.Result#remaining()}); a limit
 * lets each task stop early. Immutable; derived sources share the planning state (listing and footers).
 */
public final class ParquetSource implements SupportsProjectionPushdown, SupportsFilterPushdown, SupportsLimitPushdown {
    /** Listing and footers, planned once per {@code ignoreCorruptFiles} value and shared by derived sources. */
    public static final class Plan {
        private final List<String> paths;
        private final Map<String, String> hadoop;
        private final boolean hive;
        private final boolean merge;
        private final Map<Boolean, ParquetDatasetInfo> byIgnoreCorrupt = new HashMap<>();
        private ParquetDatasetInfo.Footers footers;

        public Plan(List<String> paths, Map<String, String> hadoop, boolean hive, boolean merge) {
            this.paths = List.copyOf(paths);
            this.hadoop = Map.copyOf(hadoop);
            this.hive = hive;
            this.merge = merge;
        }

        synchronized ParquetDatasetInfo get(boolean ignoreCorrupt) {
            return byIgnoreCorrupt.computeIfAbsent(ignoreCorrupt,
                    ic -> ParquetDatasetInfo.plan(footers(), paths, hadoop, hive, merge, ic));
        }

        /**
         * Lists the files and reads their footers (once): fails when the input is missing or empty, but not on a
         * corrupt file, which fails or is skipped as the context of the read says.
         */
        public synchronized ParquetDatasetInfo.Footers footers() {
            if (footers == null) {
                footers = ParquetDatasetInfo.Footers.read(paths, hadoop);
            }
            return footers;
        }
    }

    private final Plan plan;
    private final List<String> columns;
    private final Expr filter;
    private final long limit;
    private final int batchRowsOption;
    /** Whether planning skips corrupt files: as the dataset's context says, or {@link DataContext#current()} if null. */
    private final Boolean ignoreCorrupt;

    public ParquetSource(Plan plan, int batchRowsOption) {
        this(plan, null, null, Long.MAX_VALUE, batchRowsOption, null);
    }

    private ParquetSource(Plan plan, List<String> columns, Expr filter, long limit, int batchRowsOption,
                          Boolean ignoreCorrupt) {
        this.plan = plan;
        this.columns = columns == null ? null : List.copyOf(columns);
        this.filter = filter;
        this.limit = limit;
        this.batchRowsOption = batchRowsOption;
        this.ignoreCorrupt = ignoreCorrupt;
    }

    private ParquetDatasetInfo info() {
        return plan.get(ignoreCorrupt != null ? ignoreCorrupt : DataContext.current().ignoreCorruptFiles());
    }

    @Override
    public Datasource withContext(DataContext context) {
        return new ParquetSource(plan, columns, filter, limit, batchRowsOption, context.ignoreCorruptFiles());
    }

    @Override
    public String name() {
        return "Parquet";
    }

    @Override
    public String describe() {
        StringBuilder b = new StringBuilder("paths=").append(plan.paths);
        if (columns != null) {
            b.append(", columns=").append(columns);
        }
        if (filter != null) {
            b.append(", filter=").append(filter);
        }
        if (limit != Long.MAX_VALUE) {
            b.append(", limit=").append(limit);
        }
        return b.toString();
    }

    @Override
    public Optional<Schema> schema() {
        return Optional.of(outputSchema(info()));
    }

    private Schema outputSchema(ParquetDatasetInfo info) {
        Schema full = info.fullSchema();
        if (columns == null) {
            return full;
        }
        List<Field> out = new ArrayList<>();
        for (String c : columns) {
            out.add(full.getFields().stream().filter(f -> f.getName().equals(c)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("column '" + c + "' is not in the Parquet schema "
                            + full.getFields().stream().map(Field::getName).toList() + " of " + plan.paths)));
        }
        return new Schema(out);
    }

    @Override
    public OptionalLong exactRowCount() {
        if (filter != null) {
            return OptionalLong.empty();
        }
        long rows = 0;
        for (ParquetMetadata m : info().footers) {
            for (BlockMetaData b : m.getBlocks()) {
                rows += b.getRowCount();
            }
        }
        return OptionalLong.of(Math.min(rows, limit));
    }

    @Override
    public OptionalLong estimatedInMemorySize() {
        ParquetDatasetInfo info = info();
        Set<String> cols = outputSchema(info).getFields().stream().map(Field::getName).collect(Collectors.toSet());
        long bytes = 0;
        for (ParquetMetadata m : info.footers) {
            for (BlockMetaData b : m.getBlocks()) {
                bytes += projectedBytes(b, cols, false);
            }
        }
        return OptionalLong.of(bytes);
    }

    private static long projectedBytes(BlockMetaData b, Set<String> cols, boolean compressed) {
        long bytes = 0;
        for (ColumnChunkMetaData c : b.getColumns()) {
            if (cols.contains(c.getPath().toDotString())) {
                bytes += compressed ? c.getTotalSize() : c.getTotalUncompressedSize();
            }
        }
        return bytes;
    }

    @Override
    public Datasource withColumns(List<String> newColumns) {
        ParquetSource s = new ParquetSource(plan, newColumns, filter, limit, batchRowsOption, ignoreCorrupt);
        s.outputSchema(info());
        return s;
    }

    @Override
    public Result withFilter(Expr predicate) {
        Expr combined = filter == null ? predicate : filter.and(predicate);
        return new Result(new ParquetSource(plan, columns, combined, limit, batchRowsOption, ignoreCorrupt), Optional.of(predicate));
    }

    @Override
    public Datasource withLimit(long newLimit) {
        if (newLimit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + newLimit);
        }
        return new ParquetSource(plan, columns, filter, Math.min(limit, newLimit), batchRowsOption,
                ignoreCorrupt);
    }

    @Override
    public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
        ParquetDatasetInfo info = plan.get(context.ignoreCorruptFiles());
        Schema out = outputSchema(info);
        Set<String> cols = out.getFields().stream().map(Field::getName).collect(Collectors.toSet());
        Pred pred = filter == null ? null : ExprTranslator.translate(filter);
        long prunedGroups = 0;
        long prunedFiles = 0;
        List<ParquetFragment> fragments = new ArrayList<>();
        long totalBytes = 0;
        long totalRows = 0;
        for (int i = 0; i < info.files.size(); i++) {
            InputFile file = info.files.get(i);
            ParquetMetadata footer = info.footers.get(i);
            List<BlockMetaData> blocks = footer.getBlocks();
            if (pred != null && !info.partitioning.keys().isEmpty()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int k = 0; k < info.partitioning.keys().size(); k++) {
                    values.put(info.partitioning.keys().get(k), info.partitioning.value(file, k));
                }
                if (!ConstantEvaluator.mightMatch(pred, values)) {
                    prunedFiles++;
                    prunedGroups += blocks.size();
                    continue;
                }
            }
            List<BlockMetaData> kept = blocks;
            if (pred != null) {
                MessageType fileSchema = footer.getFileMetaData().getSchema();
                FilterPredicate fp = ParquetFilters.toParquet(pred, fileSchema);
                if (fp != null) {
                    kept = RowGroupFilter.filterRowGroups(FilterCompat.get(fp), blocks, fileSchema);
                }
            }
            prunedGroups += blocks.size() - kept.size();
            IdentityHashMap<BlockMetaData, Integer> ordinal = new IdentityHashMap<>();
            for (int b = 0; b < blocks.size(); b++) {
                ordinal.put(blocks.get(b), b);
            }
            for (BlockMetaData b : kept) {
                long bytes = projectedBytes(b, cols, true);
                fragments.add(new ParquetFragment(file, List.of(ordinal.get(b)), b.getRowCount(), bytes));
                totalBytes += bytes;
                totalRows += b.getRowCount();
            }
        }
        int batchRows = batchRows(info, cols, context);
        long target = Math.max(1, totalBytes / Math.max(1, parallelism));
        List<ReadTask> tasks = new ArrayList<>();
        List<ParquetFragment> group = new ArrayList<>();
        long groupBytes = 0;
        for (ParquetFragment f : fragments) {
            // Consecutive row groups of a file (or small files) share a task until it reaches its share of bytes.
            if (!group.isEmpty() && groupBytes + f.compressedBytes() > target) {
                tasks.add(task(merge(group), out, info, batchRows, tasks.isEmpty(), prunedGroups, prunedFiles));
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(f);
            groupBytes += f.compressedBytes();
        }
        if (!group.isEmpty()) {
            tasks.add(task(merge(group), out, info, batchRows, tasks.isEmpty(), prunedGroups, prunedFiles));
        }
        return tasks;
    }

    /** Joins adjacent fragments of the same file into one, so the file is opened once. */
    private static List<ParquetFragment> merge(List<ParquetFragment> group) {
        List<ParquetFragment> out = new ArrayList<>();
        for (ParquetFragment f : group) {
            ParquetFragment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.file().equals(f.file())) {
                List<Integer> rg = new ArrayList<>(last.rowGroups());
                rg.addAll(f.rowGroups());
                out.set(out.size() - 1, new ParquetFragment(f.file(), rg, last.rows() + f.rows(),
                        last.compressedBytes() + f.compressedBytes()));
            } else {
                out.add(f);
            }
        }
        return out;
    }

    private ReadTask task(List<ParquetFragment> frags, Schema out, ParquetDatasetInfo info, int batchRows,
            boolean first, long prunedGroups, long prunedFiles) {
        long rows = frags.stream().mapToLong(ParquetFragment::rows).sum();
        Set<String> cols = out.getFields().stream().map(Field::getName).collect(Collectors.toSet());
        long bytes = 0;
        for (ParquetFragment f : frags) {
            ParquetMetadata footer = info.footers.get(info.files.indexOf(f.file()));
            for (int rg : f.rowGroups()) {
                bytes += projectedBytes(footer.getBlocks().get(rg), cols, false);
            }
        }
        ReadTaskMetadata meta = new ReadTaskMetadata(
                filter == null ? OptionalLong.of(Math.min(rows, limit)) : OptionalLong.empty(),
                OptionalLong.of(bytes),
                frags.stream().map(f -> f.file().path()).distinct().toList());
        Map<String, String> skips = new LinkedHashMap<>();
        if (first) {
            info.skipped.forEach((p, e) -> skips.put(p, e.getMessage()));
        }
        return new ParquetReadTask(frags, out.toJson(), info.partitioning, info.hadoopSettings, batchRows, limit, meta,
                first ? prunedGroups : 0, first ? prunedFiles : 0, skips);
    }

    private int batchRows(ParquetDatasetInfo info, Set<String> cols, DataContext context) {
        if (batchRowsOption > 0) {
            return batchRowsOption;
        }
        long rows = 0;
        long bytes = 0;
        for (ParquetMetadata m : info.footers) {
            for (BlockMetaData b : m.getBlocks()) {
                rows += b.getRowCount();
                bytes += projectedBytes(b, cols, false);
            }
        }
        long rowBytes = rows == 0 ? 64 : Math.max(8, bytes / rows + 2);
        long byTarget = context.targetMaxBlockSizeBytes() / rowBytes;
        return (int) Math.max(1024, Math.min(byTarget, 262_144));
    }
}

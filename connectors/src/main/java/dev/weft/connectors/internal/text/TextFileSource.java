package dev.weft.connectors.internal.text;

import dev.weft.connectors.InputNotFoundException;
import dev.weft.connectors.SchemaMismatchException;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.filter.ConstantEvaluator;
import dev.weft.connectors.internal.filter.ExprTranslator;
import dev.weft.connectors.internal.filter.Pred;
import dev.weft.connectors.internal.fs.FileLister;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.Expr;
import dev.weft.data.ReadTask;
import dev.weft.data.ReadTaskMetadata;
import dev.weft.data.SupportsFilterPushdown;
import dev.weft.data.SupportsLimitPushdown;
import dev.weft.data.SupportsProjectionPushdown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/**
 * A dataset of row-per-record files (CSV, JSON lines, text, binary files): files listed once, the schema given or
 * inferred from the first file, then read tasks of whole files. Projection skips converting unprojected cells,
 * a filter drops files by hive partition values (the engine still applies it to rows), a limit stops each task
 * early. Immutable; derived sources share the listing.
 */
public final class TextFileSource implements SupportsProjectionPushdown, SupportsFilterPushdown, SupportsLimitPushdown {
    /** Listing and schema, computed once and shared by derived sources. */
    public static final class Plan {
        final List<String> paths;
        final Map<String, String> hadoop;
        final boolean hive;
        final TextFormat format;
        final Schema explicit;
        final java.util.function.Predicate<String> accept;
        private List<InputFile> files;
        private Partitioning partitioning;
        private Schema dataSchema;

        public Plan(List<String> paths, Map<String, String> hadoop, boolean hive, TextFormat format, Schema explicit,
                java.util.function.Predicate<String> accept) {
            this.paths = List.copyOf(paths);
            this.hadoop = Map.copyOf(hadoop);
            this.hive = hive;
            this.format = format;
            this.explicit = explicit;
            this.accept = accept;
        }

        synchronized void ensure() {
            if (files != null) {
                return;
            }
            Configuration conf = HadoopConf.of(hadoop);
            List<InputFile> listed = FileLister.list(paths, conf, accept);
            if (listed.isEmpty()) {
                throw new InputNotFoundException(String.join(",", paths), "no data files under " + paths);
            }
            Partitioning p = hive ? Partitioning.infer(listed) : Partitioning.NONE;
            Schema s = explicit != null ? explicit : format.inferSchema(listed.get(0), conf);
            for (String key : p.keys()) {
                if (s.getFields().stream().anyMatch(f -> f.getName().equals(key))) {
                    throw new SchemaMismatchException("partition directory key '" + key + "' is also a column of "
                            + listed.get(0).path());
                }
            }
            files = listed;
            partitioning = p;
            dataSchema = s;
        }
    }

    private final Plan plan;
    private final List<String> columns;
    private final Expr filter;
    private final long limit;
    private final int batchRows;

    public TextFileSource(Plan plan, int batchRows) {
        this(plan, null, null, Long.MAX_VALUE, batchRows);
    }

    private TextFileSource(Plan plan, List<String> columns, Expr filter, long limit, int batchRows) {
        this.plan = plan;
        this.columns = columns == null ? null : List.copyOf(columns);
        this.filter = filter;
        this.limit = limit;
        this.batchRows = batchRows;
    }

    @Override
    public String name() {
        return plan.format.name();
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

    private Schema fullSchema() {
        plan.ensure();
        List<Field> f = new ArrayList<>(plan.dataSchema.getFields());
        f.addAll(plan.partitioning.fields());
        return new Schema(f);
    }

    private Schema outputSchema() {
        Schema full = fullSchema();
        if (columns == null) {
            return full;
        }
        List<Field> out = new ArrayList<>();
        for (String c : columns) {
            out.add(full.getFields().stream().filter(f -> f.getName().equals(c)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("column '" + c + "' is not in the "
                            + plan.format.name() + " schema " + full.getFields().stream().map(Field::getName).toList()
                            + " of " + plan.paths)));
        }
        return new Schema(out);
    }

    @Override
    public Optional<Schema> schema() {
        return Optional.of(outputSchema());
    }

    @Override
    public OptionalLong estimatedInMemorySize() {
        plan.ensure();
        return OptionalLong.of(plan.files.stream().mapToLong(InputFile::length).sum());
    }

    @Override
    public OptionalLong exactRowCount() {
        if (plan.format instanceof BinaryFilesFormat && filter == null) {
            plan.ensure();
            return OptionalLong.of(Math.min(plan.files.size(), limit));
        }
        return OptionalLong.empty();
    }

    @Override
    public Datasource withColumns(List<String> newColumns) {
        TextFileSource s = new TextFileSource(plan, newColumns, filter, limit, batchRows);
        s.outputSchema();
        return s;
    }

    @Override
    public Result withFilter(Expr predicate) {
        Expr combined = filter == null ? predicate : filter.and(predicate);
        return new Result(new TextFileSource(plan, columns, combined, limit, batchRows), Optional.of(predicate));
    }

    @Override
    public Datasource withLimit(long newLimit) {
        if (newLimit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + newLimit);
        }
        return new TextFileSource(plan, columns, filter, Math.min(limit, newLimit), batchRows);
    }

    @Override
    public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
        Schema out = outputSchema();
        Pred pred = filter == null ? null : ExprTranslator.translate(filter);
        List<InputFile> kept = new ArrayList<>();
        long pruned = 0;
        for (InputFile f : plan.files) {
            if (pred != null && !plan.partitioning.keys().isEmpty()) {
                Map<String, Object> values = new LinkedHashMap<>();
                for (int k = 0; k < plan.partitioning.keys().size(); k++) {
                    values.put(plan.partitioning.keys().get(k), plan.partitioning.value(f, k));
                }
                if (!ConstantEvaluator.mightMatch(pred, values)) {
                    pruned++;
                    continue;
                }
            }
            kept.add(f);
        }
        long total = kept.stream().mapToLong(InputFile::length).sum();
        long target = Math.max(1, total / Math.max(1, parallelism));
        List<ReadTask> tasks = new ArrayList<>();
        List<InputFile> group = new ArrayList<>();
        long groupBytes = 0;
        for (InputFile f : kept) {
            if (!group.isEmpty() && groupBytes + f.length() > target) {
                tasks.add(task(group, out, tasks.isEmpty() ? pruned : 0));
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(f);
            groupBytes += f.length();
        }
        if (!group.isEmpty()) {
            tasks.add(task(group, out, tasks.isEmpty() ? pruned : 0));
        }
        return tasks;
    }

    private ReadTask task(List<InputFile> files, Schema out, long prunedFiles) {
        OptionalLong rows = plan.format instanceof BinaryFilesFormat && filter == null
                ? OptionalLong.of(Math.min(files.size(), limit)) : OptionalLong.empty();
        ReadTaskMetadata meta = new ReadTaskMetadata(rows,
                OptionalLong.of(files.stream().mapToLong(InputFile::length).sum()),
                files.stream().map(InputFile::path).toList());
        return new TextReadTask(files, plan.format, plan.dataSchema.toJson(), out.toJson(), plan.partitioning,
                plan.hadoop, batchRows, limit, meta, prunedFiles);
    }

    /** For tests: the counters type tasks report through. */
    static ReadCounters newCounters() {
        return new ReadCounters();
    }
}

package dev.weft.connectors;

import dev.weft.connectors.internal.ReadSettings;
import dev.weft.connectors.internal.SourceOptions;
import dev.weft.connectors.internal.sink.TextSinks;
import dev.weft.connectors.internal.sink.WriteMode;
import dev.weft.connectors.internal.text.TextFileSource;
import dev.weft.connectors.internal.text.TextFormat;
import dev.weft.data.Datasource;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.arrow.vector.types.pojo.Schema;

/** Shared plumbing of the row-per-record formats' factories. */
final class TextConnectors {
    private TextConnectors() {}

    static final Set<String> COMMON_READ = Set.of("partitioning", "batchRows");

    static Datasource source(String format, List<String> paths, FormatOptions options, Set<String> known,
            java.util.function.Function<SourceOptions, TextFormat> makeFormat, boolean schemaAllowed,
            Predicate<String> accept) {
        java.util.HashSet<String> all = new java.util.HashSet<>(known);
        all.addAll(COMMON_READ);
        SourceOptions o = new SourceOptions(format, options, all);
        Schema explicit = options.schema().orElse(null);
        if (explicit != null && !schemaAllowed) {
            throw new IllegalArgumentException(format + ": the schema is fixed; an explicit schema is not accepted");
        }
        int batchRows = (int) Math.min(o.positiveLong("batchRows", ReadSettings.DEFAULT_BATCH_ROWS), 1 << 24);
        TextFileSource.Plan plan = new TextFileSource.Plan(paths, o.hadoopSettings(), o.hivePartitioning(),
                makeFormat.apply(o), explicit, accept);
        TextFileSource s = new TextFileSource(plan, batchRows);
        s.schema(); // fail now, naming the path, if the input is missing or empty
        return s;
    }

    static TextSinks.Csv csvSink(String path, FormatOptions options) {
        SourceOptions o = new SourceOptions("csv", options, Set.of("delimiter", "header", "mode"));
        return new TextSinks.Csv(path, o.hadoopSettings(), WriteMode.parse(o.string("mode", "error")),
                o.singleChar("delimiter", ','), o.bool("header", true));
    }

    static TextSinks.Json jsonSink(String path, FormatOptions options) {
        SourceOptions o = new SourceOptions("json", options, Set.of("mode"));
        return new TextSinks.Json(path, o.hadoopSettings(), WriteMode.parse(o.string("mode", "error")));
    }
}

package dev.weft.connectors;

import dev.weft.connectors.internal.SourceOptions;
import dev.weft.connectors.internal.parquet.ParquetSource;
import dev.weft.connectors.internal.sink.ParquetSink;
import dev.weft.connectors.internal.sink.WriteMode;
import dev.weft.data.Datasink;
import dev.weft.data.DatasinkFactory;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The {@code "parquet"} format, found by {@link java.util.ServiceLoader}.
 *
 * <p>Read options: {@code mergeSchema} (false), {@code partitioning} ({@code hive} or {@code none}),
 * {@code batchRows} (rows per batch; default from the target block size). Write options: {@code compression}
 * ({@code snappy}, {@code zstd}, {@code gzip}, {@code none}; default snappy), {@code rowGroupBytes} (128 MiB),
 * {@code dictionary} (true), {@code mode} ({@code error}, {@code overwrite}, {@code append}). Both take Hadoop
 * settings as {@code fs.*} or {@code hadoop.*} options. Thread-safe and stateless.
 */
public final class ParquetConnector implements DatasourceFactory, DatasinkFactory {
    private static final Set<String> READ = Set.of("mergeSchema", "partitioning", "batchRows");
    private static final Set<String> WRITE = Set.of("compression", "rowGroupBytes", "dictionary", "mode");

    @Override
    public String format() {
        return "parquet";
    }

    @Override
    public Datasource createSource(List<String> paths, FormatOptions options) {
        SourceOptions o = new SourceOptions("parquet", options, READ);
        if (options.schema().isPresent()) {
            throw new IllegalArgumentException("parquet: an explicit schema is not supported; Parquet files carry "
                    + "their own (project with select)");
        }
        ParquetSource.Plan plan = new ParquetSource.Plan(paths, o.hadoopSettings(), o.hivePartitioning(),
                o.bool("mergeSchema", false));
        int batchRows = options.options().containsKey("batchRows")
                ? (int) Math.min(o.positiveLong("batchRows", 1), 1 << 24) : 0;
        ParquetSource source = new ParquetSource(plan, batchRows);
        // Fail here, naming the path, when the input is missing or empty rather than at execution. A corrupt file
        // fails (or is skipped) later, as the context the dataset runs with says (Dataset.withContext).
        if (plan.footers().errors().isEmpty()) {
            source.schema(); // and files whose schemas disagree, when every footer could be read
        }
        return source;
    }

    @Override
    public Datasink createSink(String path, FormatOptions options) {
        SourceOptions o = new SourceOptions("parquet", options, WRITE);
        return new ParquetSink(path, o.hadoopSettings(), WriteMode.parse(o.string("mode", "error")),
                codec(o.string("compression", "snappy")), o.positiveLong("rowGroupBytes", 128L << 20),
                o.bool("dictionary", true));
    }

    static CompressionCodecName codec(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "snappy" -> CompressionCodecName.SNAPPY;
            case "zstd" -> CompressionCodecName.ZSTD;
            case "gzip" -> CompressionCodecName.GZIP;
            case "none", "uncompressed" -> CompressionCodecName.UNCOMPRESSED;
            default -> throw new IllegalArgumentException("parquet option 'compression' must be snappy, zstd, gzip "
                    + "or none, got '" + name + "'");
        };
    }
}

package dev.weft.connectors;

import dev.weft.connectors.internal.text.CsvFormat;
import dev.weft.connectors.internal.text.CsvSettings;
import dev.weft.data.Datasink;
import dev.weft.data.DatasinkFactory;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Set;

/**
 * The {@code "csv"} format, found by {@link java.util.ServiceLoader}. Read options: {@code delimiter} (,),
 * {@code quote} ("), {@code header} (true), {@code nullValue} (empty), {@code inferRows} (1000), an explicit
 * schema instead of inference, {@code partitioning}, {@code batchRows}. Write options: {@code delimiter},
 * {@code header}, {@code mode}. Files ending in {@code .gz}, {@code .bz2}, ... are decompressed. Thread-safe and
 * stateless.
 */
public final class CsvConnector implements DatasourceFactory, DatasinkFactory {
    @Override
    public String format() {
        return "csv";
    }

    @Override
    public Datasource createSource(List<String> paths, FormatOptions options) {
        return TextConnectors.source("csv", paths, options, Set.of("delimiter", "quote", "header", "nullValue", "inferRows"),
                o -> new CsvFormat(new CsvSettings(o.singleChar("delimiter", ','), o.singleChar("quote", '"'),
                        o.bool("header", true), o.string("nullValue", ""),
                        (int) Math.min(o.positiveLong("inferRows", 1000), Integer.MAX_VALUE))),
                true, name -> true);
    }

    @Override
    public Datasink createSink(String path, FormatOptions options) {
        return TextConnectors.csvSink(path, options);
    }
}

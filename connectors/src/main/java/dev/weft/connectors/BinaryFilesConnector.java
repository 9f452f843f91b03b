package dev.weft.connectors;

import dev.weft.connectors.internal.text.BinaryFilesFormat;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Set;

/**
 * The {@code "binary"} format: one row per file with the columns {@code path} (string) and {@code bytes}
 * (binary, the file as stored). Options: {@code partitioning}. Thread-safe and stateless.
 */
public final class BinaryFilesConnector implements DatasourceFactory {
    @Override
    public String format() {
        return "binary";
    }

    @Override
    public Datasource createSource(List<String> paths, FormatOptions options) {
        return TextConnectors.source("binary", paths, options, Set.of(), o -> new BinaryFilesFormat(), false,
                name -> true);
    }
}

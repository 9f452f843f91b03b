package dev.weft.connectors;

import dev.weft.connectors.internal.text.LinesFormat;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Set;

/**
 * The {@code "text"} format: one row per line in the non-null string column {@code text}. Options:
 * {@code partitioning}, {@code batchRows}. Thread-safe and stateless.
 */
public final class TextConnector implements DatasourceFactory {
    @Override
    public String format() {
        return "text";
    }

    @Override
    public Datasource createSource(List<String> paths, FormatOptions options) {
        return TextConnectors.source("text", paths, options, Set.of(), o -> new LinesFormat(), false, name -> true);
    }
}

package dev.weft.connectors;

import dev.weft.connectors.internal.text.JsonFormat;
import dev.weft.data.Datasink;
import dev.weft.data.DatasinkFactory;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import java.util.List;
import java.util.Set;

/**
 * The {@code "json"} format (JSON lines), found by {@link java.util.ServiceLoader}. Read options:
 * {@code inferRows} (1000), {@code ignoreUnknownFields} (false with an inferred schema, always true with an
 * explicit one), an explicit schema, {@code partitioning}, {@code batchRows}. Write option: {@code mode}.
 * Thread-safe and stateless.
 */
public final class JsonConnector implements DatasourceFactory, DatasinkFactory {
    @Override
    public String format() {
        return "json";
    }

    @Override
    public Datasource createSource(List<String> paths, FormatOptions options) {
        boolean explicit = options.schema().isPresent();
        return TextConnectors.source("json", paths, options, Set.of("inferRows", "ignoreUnknownFields"),
                o -> new JsonFormat((int) Math.min(o.positiveLong("inferRows", 1000), Integer.MAX_VALUE),
                        explicit || o.bool("ignoreUnknownFields", false)),
                true, name -> true);
    }

    @Override
    public Datasink createSink(String path, FormatOptions options) {
        return TextConnectors.jsonSink(path, options);
    }
}

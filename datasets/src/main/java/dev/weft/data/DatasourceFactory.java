package dev.weft.data;

import java.util.List;

/**
 * Makes {@link Datasource}s for one file format; found by {@link java.util.ServiceLoader} (the
 * {@code weft-connectors} module registers "parquet", "csv", "json", "text", "binary"), so that
 * {@code Datasets.readParquet(...)} works without compiling against a connector. Implementations have a
 * public no-argument constructor and are thread-safe.
 */
public interface DatasourceFactory {
    /** The format's name, lower case: {@code "parquet"}, {@code "csv"}, ... */
    String format();

    /**
     * A source over {@code paths}: files, directories (read recursively; hive-style {@code key=value}
     * directories become columns), globs, local paths or Hadoop URIs ({@code file://}, {@code s3a://}).
     * Fails with a {@link dev.weft.api.WeftException} of type {@code USER_ERROR} naming the path when it is
     * missing.
     */
    Datasource createSource(List<String> paths, FormatOptions options);
}

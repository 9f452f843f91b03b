package dev.weft.data;

/**
 * Makes {@link Datasink}s for one file format; found by {@link java.util.ServiceLoader} like
 * {@link DatasourceFactory}. Implementations have a public no-argument constructor and are thread-safe.
 */
public interface DatasinkFactory {
    /** The format's name, lower case: {@code "parquet"}, {@code "csv"}, {@code "json"}. */
    String format();

    /** A sink writing files into the directory {@code path} (local path or Hadoop URI). */
    Datasink createSink(String path, FormatOptions options);
}

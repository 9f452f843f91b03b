package dev.weft.data;

import dev.weft.data.internal.FormatRegistry;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.arrow.RowBatches;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.source.ArrowDatasource;
import dev.weft.data.internal.source.RangeDatasource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where datasets come from: generated ({@link #range}), in memory ({@link #fromItems}, {@link #fromArrow}),
 * files through the connector of each format ({@link #readParquet}, {@link #readCsv}, {@link #readJson},
 * {@link #readText}, {@link #readBinaryFiles}; found by {@link java.util.ServiceLoader}, see
 * {@link DatasourceFactory}), or any {@link Datasource}. Nothing is read until the dataset is consumed.
 * Datasets take {@link DataContext#current()} as their settings.
 */
public final class Datasets {
    /** Rows per in-memory block of {@link #fromItems}. */
    private static final int ITEMS_PER_BLOCK = 65_536;

    private Datasets() {
    }

    /** Any datasource. */
    public static Dataset from(Datasource source) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        DataContext context = DataContext.current();
        return new Dataset(new LogicalOp.Read(source.withContext(context)), context);
    }

    /** The integers {@code 0..n-1} in a column {@code id} (INT64). */
    public static Dataset range(long n) {
        return from(new RangeDatasource(n, -1));
    }

    /** Rows from maps (column name → value); column types come from the values (see {@link Row}). */
    public static Dataset fromItems(List<? extends Map<String, ?>> items) {
        if (items == null || items.isEmpty()) {
            throw new IllegalArgumentException("fromItems needs at least one item");
        }
        List<VectorSchemaRoot> roots = new ArrayList<>();
        BufferAllocator allocator = DataAllocators.root();
        org.apache.arrow.vector.types.pojo.Schema schema = null;
        try {
            List<Row> all = items.stream().map(Row::of).toList();
            // one schema for all blocks: typed from every item, not just the first block's
            try (VectorSchemaRoot typed = RowBatches.fromRows(all, allocator, "fromItems", null)) {
                schema = typed.getSchema();
                if (all.size() <= ITEMS_PER_BLOCK) {
                    return from(new ArrowDatasource("Items", List.of(typed)));
                }
            }
            for (int i = 0; i < all.size(); i += ITEMS_PER_BLOCK) {
                roots.add(RowBatches.fromRows(all.subList(i, Math.min(all.size(), i + ITEMS_PER_BLOCK)), allocator,
                        "fromItems", schema));
            }
            return from(new ArrowDatasource("Items", roots));
        } finally {
            roots.forEach(VectorSchemaRoot::close);
        }
    }

    /** Rows of Arrow batches (copied; the caller keeps and closes its batches). All need one schema. */
    public static Dataset fromArrow(VectorSchemaRoot... batches) {
        return fromArrow(Arrays.asList(batches));
    }

    public static Dataset fromArrow(List<VectorSchemaRoot> batches) {
        if (batches == null || batches.isEmpty()) {
            throw new IllegalArgumentException("fromArrow needs at least one batch");
        }
        return from(new ArrowDatasource("Arrow", batches));
    }

    public static Dataset readParquet(String... paths) {
        return read("parquet", List.of(paths), FormatOptions.NONE);
    }

    public static Dataset readCsv(String... paths) {
        return read("csv", List.of(paths), FormatOptions.NONE);
    }

    /** JSON lines: one object per line. */
    public static Dataset readJson(String... paths) {
        return read("json", List.of(paths), FormatOptions.NONE);
    }

    /** One row per line, in a column {@code text}. */
    public static Dataset readText(String... paths) {
        return read("text", List.of(paths), FormatOptions.NONE);
    }

    /** One row per file: its {@code path} and {@code bytes}. */
    public static Dataset readBinaryFiles(String... paths) {
        return read("binary", List.of(paths), FormatOptions.NONE);
    }

    /**
     * Files of {@code format} through its connector: {@code paths} may be files, directories, globs, local
     * paths or Hadoop URIs; hive-style {@code key=value} directories become columns.
     */
    public static Dataset read(String format, List<String> paths, FormatOptions options) {
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("read " + format + " needs at least one path");
        }
        return from(FormatRegistry.source(format).createSource(List.copyOf(paths), options));
    }
}

package dev.weft.sql;

import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.Datasource;
import dev.weft.data.DatasourceFactory;
import dev.weft.data.FormatOptions;
import dev.weft.sql.internal.catalog.CatalogTable;
import dev.weft.sql.internal.planner.SqlPlanner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The tables SQL statements can name: datasets, and files read through Weft's connectors (Parquet, CSV, JSON
 * lines; local paths, globs, directories with hive-style {@code key=value} partitions, any Hadoop file system URI
 * such as {@code s3a://}). A table's schema is read when it is registered (a Parquet footer; for CSV and JSON the
 * inferred schema); a Parquet table's row count comes from its footers and is the planner's statistic.
 *
 * <pre>{@code
 * WeftCatalog catalog = WeftCatalog.create()
 *     .registerParquet("events", "s3a://bucket/events/")
 *     .register("dim", Datasets.fromItems(rows));
 * Dataset top = WeftSql.query(catalog, "SELECT key, COUNT(*) FROM events GROUP BY key");
 * }</pre>
 *
 * Table names are matched without regard to case. Thread-safe: tables may be registered while queries plan; a
 * query sees the tables registered when it started planning.
 */
public final class WeftCatalog {
    private final Map<String, CatalogTable> tables = new ConcurrentSkipListMap<>(String.CASE_INSENSITIVE_ORDER);

    /**
     * Plans of statements over the tables as they are now, by their text (the most recently used {@link #PLANS}):
     * planning is a fixed cost of tens of milliseconds per statement, as much as running a query on small tables.
     * Emptied whenever a table is registered or dropped. Guards {@link #version} too.
     */
    private final Map<String, SqlPlanner.Planned> plans = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SqlPlanner.Planned> eldest) {
            return size() > PLANS;
        }
    };
    private static final int PLANS = 256;
    /** Counts the changes to the tables, so that a plan made before one is not kept after it. */
    private long version;

    private WeftCatalog() {
    }

    private void put(CatalogTable table) {
        synchronized (plans) {
            tables.put(table.name(), table);
            version++;
            plans.clear();
        }
    }

    /** The plan of {@code sql} over the tables as they are now: planned once, then taken from the cache. */
    SqlPlanner.Planned plan(String sql) {
        Map<String, CatalogTable> snapshot;
        long seen;
        synchronized (plans) {
            SqlPlanner.Planned cached = plans.get(sql);
            if (cached != null) {
                return cached;
            }
            snapshot = snapshot();
            seen = version;
        }
        SqlPlanner.Planned planned = SqlPlanner.plan(snapshot, sql);
        synchronized (plans) {
            if (version == seen) {
                plans.put(sql, planned);
            }
        }
        return planned;
    }

    /** How many statements have a cached plan (for tests). */
    int cachedPlans() {
        synchronized (plans) {
            return plans.size();
        }
    }

    public static WeftCatalog create() {
        return new WeftCatalog();
    }

    /**
     * A dataset as table {@code name}. Each query reads it anew (a dataset is a lazy plan); its schema is taken now
     * ({@link Dataset#schema()}, which runs the plan up to its first block when the schema is not known from the
     * sources).
     */
    public WeftCatalog register(String name, Dataset dataset) {
        checkName(name);
        if (dataset == null) {
            throw new IllegalArgumentException("table '" + name + "': dataset must not be null");
        }
        Schema schema = dataset.schema();
        put(new CatalogTable(name, "dataset", () -> dataset, schema, OptionalLong.empty(), OptionalLong.empty()));
        return this;
    }

    public WeftCatalog registerParquet(String name, String... paths) {
        return register(name, "parquet", List.of(paths), FormatOptions.NONE);
    }

    public WeftCatalog registerCsv(String name, String... paths) {
        return register(name, "csv", List.of(paths), FormatOptions.NONE);
    }

    /** JSON lines: one object per line. */
    public WeftCatalog registerJson(String name, String... paths) {
        return register(name, "json", List.of(paths), FormatOptions.NONE);
    }

    /**
     * Files of {@code format} (a connector's name: "parquet", "csv", "json", ...) as table {@code name}. Fails
     * with a {@link dev.weft.api.WeftException} naming the path when it is missing, and with a
     * {@link SqlException} when the format has no connector.
     */
    public WeftCatalog register(String name, String format, List<String> paths, FormatOptions options) {
        checkName(name);
        if (paths == null || paths.isEmpty()) {
            throw new IllegalArgumentException("table '" + name + "' needs at least one path");
        }
        if (options == null) {
            throw new IllegalArgumentException("table '" + name + "': options must not be null");
        }
        DatasourceFactory factory = factory(format);
        List<String> copied = List.copyOf(paths);
        Datasource source = factory.createSource(copied, options);
        Schema schema = source.schema().orElseGet(() -> Datasets.from(source).schema());
        OptionalLong rows = source.exactRowCount();
        if (rows.isEmpty() && "parquet".equals(factory.format())) {
            rows = OptionalLong.of(Datasets.from(source).count());
        }
        String description = factory.format() + " " + copied;
        put(new CatalogTable(name, description, () -> Datasets.from(factory.createSource(copied, options)), schema, rows,
                source.estimatedInMemorySize()));
        return this;
    }

    /** Removes table {@code name}; true when it existed. */
    public boolean drop(String name) {
        synchronized (plans) {
            boolean existed = tables.remove(name) != null;
            version++;
            plans.clear();
            return existed;
        }
    }

    /** The names of the tables, sorted. */
    public List<String> tableNames() {
        return new ArrayList<>(tables.keySet());
    }

    /** The schema of table {@code name}, when it exists. */
    public Optional<Schema> schema(String name) {
        CatalogTable t = tables.get(name);
        return t == null ? Optional.empty() : Optional.of(t.schema());
    }

    /** The tables as they are now (name → table), for planning. */
    Map<String, CatalogTable> snapshot() {
        return new TreeMap<>(tables);
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("table name must not be blank");
        }
    }

    private static DatasourceFactory factory(String format) {
        if (format == null || format.isBlank()) {
            throw new IllegalArgumentException("format must not be blank");
        }
        String wanted = format.toLowerCase(Locale.ROOT);
        TreeSet<String> found = new TreeSet<>();
        for (DatasourceFactory f : ServiceLoader.load(DatasourceFactory.class, WeftCatalog.class.getClassLoader())) {
            if (f.format().equals(wanted)) {
                return f;
            }
            found.add(f.format());
        }
        throw new SqlException("no connector reads format '" + format + "'; the class path has " + found);
    }
}

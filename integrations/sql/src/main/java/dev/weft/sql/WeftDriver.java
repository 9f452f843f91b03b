package dev.weft.sql;

import dev.weft.sql.internal.jdbc.WeftPrepare;
import dev.weft.sql.internal.planner.CatalogSchema;
import dev.weft.sql.internal.planner.WeftTypeSystem;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.Driver;

/**
 * The JDBC driver. Embedded, {@code jdbc:weft:catalog=NAME}: statements over the {@link WeftCatalog} registered
 * under {@code NAME} with {@link #register}, planned by Calcite and run by Weft (the current Weft runtime) as
 * datasets; result sets stream (rows are fetched from the running dataset as the result set is read).
 * {@code DatabaseMetaData} lists the catalog's tables and columns in schema {@code weft}. Found by
 * {@link java.sql.DriverManager} through {@code META-INF/services/java.sql.Driver}. Remote,
 * {@code jdbc:weft://host:port}: a {@link WeftJdbcServer} (Avatica over HTTP). Thread-safe.
 *
 * <pre>{@code
 * WeftDriver.register("main", catalog);
 * try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=main")) { ... }
 * }</pre>
 */
public final class WeftDriver extends Driver {
    public static final String PREFIX = "jdbc:weft:";
    private static final Map<String, WeftCatalog> CATALOGS = new ConcurrentHashMap<>();

    static {
        new WeftDriver().register();
    }

    public WeftDriver() {
        super(WeftPrepare::new);
    }

    /** Makes {@code catalog} reachable as {@code jdbc:weft:catalog=NAME} (replacing one of that name). */
    public static void register(String name, WeftCatalog catalog) {
        if (name == null || name.isBlank() || catalog == null) {
            throw new IllegalArgumentException("register needs a name and a catalog, got " + name + " and " + catalog);
        }
        CATALOGS.put(name, catalog);
    }

    /** Forgets the catalog registered as {@code name}; connections already open keep it. */
    public static void unregister(String name) {
        CATALOGS.remove(name);
    }

    @Override
    protected String getConnectStringPrefix() {
        return PREFIX;
    }

    @Override
    protected DriverVersion createDriverVersion() {
        return new DriverVersion("Weft JDBC driver", "0.1.0", "Weft", "0.1.0", true, 0, 1, 0, 1);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        if (url.startsWith(PREFIX + "//")) {
            // A Weft JDBC server (WeftJdbcServer): Avatica's remote driver over HTTP with protobuf.
            String address = url.substring(PREFIX.length() + 2);
            return new org.apache.calcite.avatica.remote.Driver().connect(
                    "jdbc:avatica:remote:url=http://" + address + ";serialization=protobuf", info);
        }
        Properties props = new Properties();
        props.putAll(parse(url.substring(PREFIX.length())));
        if (info != null) {
            props.putAll(info);
        }
        String name = props.getProperty("catalog");
        if (name == null) {
            throw new SQLException("a Weft JDBC URL names its catalog: jdbc:weft:catalog=NAME (registered with "
                    + "WeftDriver.register); got " + url);
        }
        WeftCatalog catalog = CATALOGS.get(name);
        if (catalog == null) {
            throw new SQLException("no Weft catalog is registered as '" + name + "' (registered: "
                    + new java.util.TreeSet<>(CATALOGS.keySet()) + ")");
        }
        Properties calcite = new Properties();
        calcite.setProperty("caseSensitive", "false");
        calcite.setProperty("unquotedCasing", "UNCHANGED");
        calcite.setProperty("quotedCasing", "UNCHANGED");
        calcite.setProperty("conformance", "LENIENT");
        calcite.setProperty("typeSystem", WeftTypeSystem.class.getName() + "#INSTANCE");
        Connection connection = super.connect(PREFIX, calcite);
        CalciteConnection calciteConnection = connection.unwrap(CalciteConnection.class);
        calciteConnection.getRootSchema().add("weft", new CatalogSchema(catalog::snapshot));
        calciteConnection.setSchema("weft");
        return connection;
    }

    private static Map<String, String> parse(String rest) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String part : rest.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }
}

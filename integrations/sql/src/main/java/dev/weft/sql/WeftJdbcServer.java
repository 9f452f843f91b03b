package dev.weft.sql;

import java.sql.SQLException;
import java.util.List;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.Driver;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A JDBC server for a registered catalog (see {@link WeftDriver#register}): Avatica's HTTP server (protobuf) over
 * the embedded driver, so that clients connect with {@code jdbc:weft://host:port}. Statements run in this process
 * on its Weft runtime. Close it to stop serving ({@code close()} is idempotent; the caller who started it closes
 * it).
 *
 * <pre>{@code
 * WeftDriver.register("main", catalog);
 * try (WeftJdbcServer server = WeftJdbcServer.start("main", "127.0.0.1", 0)) {
 *     Connection c = DriverManager.getConnection(server.url());   // from any JVM: jdbc:weft://host:port
 * }
 * }</pre>
 */
public final class WeftJdbcServer implements AutoCloseable {
    private final HttpServer server;
    private final String host;
    private volatile boolean closed;

    private WeftJdbcServer(HttpServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /**
     * Serves catalog {@code catalogName} on {@code host} (the address to listen on, e.g. {@code 127.0.0.1}) and
     * {@code port} (0 for any free port).
     */
    public static WeftJdbcServer start(String catalogName, String host, int port) {
        if (host == null || host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException("the server needs a host and a port in [0, 65535], got " + host + ":" + port);
        }
        JdbcMeta meta;
        try {
            meta = new JdbcMeta(WeftDriver.PREFIX + "catalog=" + catalogName);
        } catch (SQLException e) {
            throw new SqlException("cannot serve catalog '" + catalogName + "': " + e.getMessage(), 0, 0, e);
        }
        ServerCustomizer<Server> bind = server -> {
            for (var connector : server.getConnectors()) {
                if (connector instanceof ServerConnector c) {
                    c.setHost(host);
                }
            }
        };
        HttpServer server = new HttpServer.Builder<Server>()
                .withHandler(new LocalService(meta), Driver.Serialization.PROTOBUF)
                .withPort(port)
                .withServerCustomizers(List.of(bind), Server.class)
                .build();
        server.start();
        return new WeftJdbcServer(server, host);
    }

    public int port() {
        return server.getPort();
    }

    /** The URL clients connect to: {@code jdbc:weft://host:port}. */
    public String url() {
        return WeftDriver.PREFIX + "//" + host + ":" + port();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.stop();
        }
    }
}

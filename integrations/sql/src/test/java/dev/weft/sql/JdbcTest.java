package dev.weft.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import dev.weft.testing.LeakChecks;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded driver: statements, prepared statements, metadata, against the answers of WeftSql itself. */
class JdbcTest {
    @TempDir
    static Path dir;
    static Weft weft;
    static WeftCatalog catalog;

    @BeforeAll
    static void setUp() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
        TestData.events(dir.resolve("events"));
        TestData.dim(dir.resolve("dim"));
        catalog = WeftCatalog.create().registerParquet("events", dir.resolve("events").toString())
                .registerParquet("dim", dir.resolve("dim").toString());
        WeftDriver.register("jdbc-test", catalog);
    }

    @AfterEach
    void nothingStaysInTheObjectStores() {
        assertEquals(List.of(), LeakChecks.awaitStoresEmpty(weft, Duration.ofSeconds(10)), "objects left in the stores");
    }

    @AfterAll
    static void tearDown() {
        WeftDriver.unregister("jdbc-test");
        weft.close();
    }

    @Test
    void aStatementReturnsWhatWeftSqlReturns() throws Exception {
        String sql = "SELECT key % 10 AS b, COUNT(*) AS n, SUM(x) AS sx FROM events WHERE x > 0.1 GROUP BY key % 10 ORDER BY b";
        List<List<Object>> expected = Answers.of(WeftSql.query(catalog, sql), List.of("b", "n", "sx"));
        try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=jdbc-test");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertEquals("b", rs.getMetaData().getColumnLabel(1));
            assertEquals(java.sql.Types.BIGINT, rs.getMetaData().getColumnType(2));
            List<List<Object>> actual = new ArrayList<>();
            while (rs.next()) {
                actual.add(List.of(rs.getObject(1) == null ? "null" : (Object) ((Number) rs.getObject(1)).doubleValue(),
                        (double) rs.getLong(2), rs.getDouble(3)));
            }
            List<List<Object>> normalized = expected.stream().map(r -> List.of(r.get(0) == null ? "null" : r.get(0),
                    r.get(1), r.get(2))).toList();
            Answers.assertSame(sql, normalized, actual, true);
        }
    }

    @Test
    void preparedStatementsTakeParameters() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=jdbc-test");
             PreparedStatement ps = c.prepareStatement("SELECT name FROM dim WHERE key = ? AND weight >= ?")) {
            for (long key : new long[] {3, 5, 7}) {
                ps.setLong(1, key);
                ps.setDouble(2, 0.0);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next(), "dim has key " + key);
                    String expected = WeftSql.query(catalog, "SELECT name FROM dim WHERE key = ?", key).takeAll()
                            .getFirst().getString("name");
                    assertEquals(expected, rs.getString(1));
                    assertFalse(rs.next());
                }
            }
        }
    }

    @Test
    void metadataListsTheCatalogsTablesAndColumns() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=jdbc-test")) {
            DatabaseMetaData md = c.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, "weft", "%", null)) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertEquals(List.of("dim", "events"), tables.stream().sorted().toList());
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, "weft", "dim", "%")) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME"));
                }
            }
            assertEquals(List.of("key BIGINT", "name VARCHAR", "weight DOUBLE"), columns);
        }
    }

    @Test
    void aResultSetStreamsAndCanBeClosedEarly() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=jdbc-test");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, s FROM events")) {
            int read = 0;
            while (read < 10 && rs.next()) {
                read++;
            }
            assertEquals(10, read);
        }
    }

    @Test
    void errorsCarryCalcitesMessage() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:weft:catalog=jdbc-test");
             Statement st = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT nope FROM events"));
            assertTrue(e.getMessage().contains("Column 'nope' not found"), e.getMessage());
            SQLException u = assertThrows(SQLException.class,
                    () -> st.executeQuery("SELECT g FROM events INTERSECT SELECT g FROM events"));
            assertTrue(String.valueOf(u.getMessage()).contains("not supported yet: INTERSECT")
                    || String.valueOf(u.getCause()).contains("not supported yet: INTERSECT"), u.toString());
        }
    }

    @Test
    void anUnknownCatalogIsNamed() {
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:weft:catalog=nope"));
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
    }

    @Test
    void aServerOnALocalPortAnswersRemoteClients() throws Exception {
        String sql = "SELECT g, COUNT(*) AS n FROM events GROUP BY g ORDER BY g";
        List<List<Object>> expected = Answers.of(WeftSql.query(catalog, sql), List.of("g", "n"));
        try (WeftJdbcServer server = WeftJdbcServer.start("jdbc-test", "127.0.0.1", 0)) {
            assertTrue(server.url().startsWith("jdbc:weft://127.0.0.1:"), server.url());
            try (Connection c = DriverManager.getConnection(server.url());
                 PreparedStatement ps = c.prepareStatement(sql.replace("GROUP BY", "WHERE id >= ? GROUP BY"))) {
                ps.setLong(1, 0);
                List<List<Object>> actual = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        actual.add(List.of((double) rs.getInt(1), (double) rs.getLong(2)));
                    }
                }
                Answers.assertSame(sql, expected, actual, true);
                try (ResultSet rs = c.getMetaData().getTables(null, "weft", "dim", null)) {
                    assertTrue(rs.next(), "the remote metadata lists table dim");
                }
            }
        }
    }
}

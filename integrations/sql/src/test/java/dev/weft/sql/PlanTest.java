package dev.weft.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.DataContext;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.weft.testing.LeakChecks;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans (golden explain strings), push-down into Parquet reads, EXPLAIN, parameters and the catalog's tables. */
class PlanTest {
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
    }

    @AfterEach
    void nothingStaysInTheObjectStores() {
        assertEquals(List.of(), LeakChecks.awaitStoresEmpty(weft, Duration.ofSeconds(10)), "objects left in the stores");
    }

    @AfterAll
    static void tearDown() {
        weft.close();
    }

    private static String physical(String explain) {
        return explain.substring(explain.indexOf("== Weft physical plan ==\n") + 25)
                .replace(dir.resolve("events").toString(), "events").replace(dir.resolve("dim").toString(), "dim");
    }

    @Test
    void filtersAndProjectionsReachTheParquetReader() {
        String plan = physical(WeftSql.explain(catalog, "SELECT id, x * 2 AS y FROM events WHERE x < 0.5 AND g = 3"));
        assertEquals("Read[Parquet(paths=[events], columns=[id, x, g], filter=((x < 0.5) and (g == 3)))]"
                + " -> Filter[((x < 0.5) and (g == 3))] -> WithColumn[y=(x * 2)] -> Project[id, y]\n", plan);
    }

    @Test
    void theW6QueryIsOneAggregateOverOneFusedReadAndASort() {
        String plan = physical(WeftSql.explain(catalog, "SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) "
                + "FROM events WHERE x > 0.1 GROUP BY key % 100 ORDER BY b"));
        assertEquals("""
                TaskPoolMap: Project[b, EXPR$1, EXPR$2, EXPR$3, EXPR$4]
                  Limit[9223372036854775807]
                    Sort[$nulls_b asc, b asc]
                      TaskPoolMap: WithColumn[$nulls_b=cast(isNull(b) as INT32)]
                        HashAggregate[keys=[b], EXPR$1, EXPR$2, EXPR$3, EXPR$4]
                          Read[Parquet(paths=[events], columns=[key, x, s], filter=(x > 0.1))] -> Filter[(x > 0.1)] -> WithColumn[b=cast((key % 100) as INT32)] -> Project[b, x, s]
                """, plan);
    }

    @Test
    void aLeftJoinOnARangeIsAnInnerJoinPlusTheAntiJoinOfTheLeftColumnsUsed() {
        String explain = WeftSql.explain(catalog, "SELECT e.id, d.key FROM events e LEFT JOIN dim d "
                + "ON e.key = d.key AND e.x < d.weight");
        String convention = explain.substring(explain.indexOf("== Weft convention ==\n") + 22,
                explain.indexOf("== Weft physical plan ==")).replaceAll("source=\\[parquet \\[[^\\]]*]]", "source");
        assertEquals("""
                WeftProject(id=[$0], key=[$3])
                  WeftUnion(all=[true])
                    WeftJoin(condition=[AND(=($1, $3), <($2, $4))], joinType=[inner])
                      WeftProject(id=[$0], key=[$1], x=[$2])
                        WeftTableScan(table=[[weft, events]], source)
                      WeftProject(key=[$0], weight=[$2])
                        WeftTableScan(table=[[weft, dim]], source)
                    WeftProject(id=[$0], key=[$1], x=[$2], $f3=[null:BIGINT], $f4=[null:DOUBLE])
                      WeftJoin(condition=[AND(IS NOT DISTINCT FROM($0, $3), IS NOT DISTINCT FROM($1, $4), IS NOT DISTINCT FROM($2, $5))], joinType=[anti])
                        WeftProject(id=[$0], key=[$1], x=[$2])
                          WeftTableScan(table=[[weft, events]], source)
                        WeftAggregate(group=[{0, 1, 2}])
                          WeftProject(id=[$0], key=[$1], x=[$2])
                            WeftJoin(condition=[AND(=($1, $3), <($2, $4))], joinType=[inner])
                              WeftProject(id=[$0], key=[$1], x=[$2])
                                WeftTableScan(table=[[weft, events]], source)
                              WeftProject(key=[$0], weight=[$2])
                                WeftTableScan(table=[[weft, dim]], source)
                """, convention);
    }

    @Test
    void explainShowsCalcitesLogicalPlanTheWeftConventionAndTheDatasetPlan() {
        List<Row> rows = WeftSql.query(catalog, "EXPLAIN PLAN FOR SELECT name FROM dim WHERE key = 3").takeAll();
        assertEquals(1, rows.size());
        String text = rows.getFirst().getString("PLAN");
        assertTrue(text.contains("== Calcite logical plan ==\nLogicalProject(name=[$1])\n  LogicalFilter(condition=[=($0, 3)])"),
                text);
        assertTrue(text.contains("== Weft convention ==\nWeftProject(name=[$1])\n  WeftFilter(condition=[=($0, 3)])"), text);
        assertTrue(physical(text).startsWith("Read[Parquet(paths=[dim], columns=[key, name], filter=(key == 3))]"), text);
    }

    @Test
    void aSmallRightSideByItsFooterRowCountIsBroadcast() {
        String plan = physical(WeftSql.explain(catalog, "SELECT e.id, d.name FROM events e JOIN dim d ON e.key = d.key"));
        assertTrue(plan.contains("HashJoin[INNER, left=[key], right=[key_r], broadcast]"), plan);
    }

    @Test
    void preparedStatementsBindTheirParametersEachTime() {
        WeftSql.PreparedQuery q = WeftSql.prepare(catalog, "SELECT COUNT(*) AS n FROM events WHERE g = ? AND x < ?");
        assertEquals(List.of("INTEGER", "DOUBLE"), q.parameterTypes());
        long all = WeftSql.query(catalog, "SELECT COUNT(*) AS n FROM events").takeAll().getFirst().getLong("n");
        long sum = 0;
        for (int g = 0; g < 7; g++) {
            sum += q.bind(g, 2.0).takeAll().getFirst().getLong("n");
        }
        long nullX = WeftSql.query(catalog, "SELECT COUNT(*) AS n FROM events WHERE x IS NULL").takeAll().getFirst()
                .getLong("n");
        assertEquals(all - nullX, sum);
        assertTrue(physical(q.explain(3, 0.25)).contains("filter=((g == 3) and (x < 0.25))"), q.explain(3, 0.25));
    }

    @Test
    void aDatasetIsATableAndAResultIsADataset() {
        WeftCatalog c = WeftCatalog.create().register("items", Datasets.fromItems(List.of(
                Map.of("k", 1L, "v", "a"), Map.of("k", 2L, "v", "b"), Map.of("k", 1L, "v", "c"))));
        Dataset counts = WeftSql.query(c, "SELECT k, COUNT(*) AS n FROM items GROUP BY k");
        assertEquals(List.of("k", "n"), counts.schema().getFields().stream().map(f -> f.getName()).toList());
        assertEquals(2L, counts.filter(dev.weft.data.Expr.col("k").eq(1L)).takeAll().getFirst().getLong("n"));
        assertEquals(List.of("items"), c.tableNames());
    }

    @Test
    void csvAndJsonFilesAreTablesWithSchemasFromTheFiles() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "k,name\n1,a\n2,b\n3,c\n");
        Path json = dir.resolve("t.json");
        Files.writeString(json, "{\"k\": 2, \"w\": 0.5}\n{\"k\": 3, \"w\": 1.5}\n");
        WeftCatalog c = WeftCatalog.create().registerCsv("c", csv.toString()).registerJson("j", json.toString());
        List<Row> rows = WeftSql.query(c, "SELECT c.name, j.w FROM c JOIN j ON c.k = j.k ORDER BY c.name").takeAll();
        assertEquals(List.of("b", "c"), rows.stream().map(r -> r.getString("name")).toList());
        assertEquals(List.of(0.5, 1.5), rows.stream().map(r -> r.getDouble("w")).toList());
    }

    private static String convention(String explain) {
        return explain.substring(explain.indexOf("== Weft convention ==\n") + 22,
                explain.indexOf("== Weft physical plan ==")).replaceAll("source=\\[parquet \\[[^\\]]*]]", "source");
    }

    @Test
    void aSmallLeftSideIsBuiltAndBroadcastWhileTheLargerRightSideStreams() {
        String plan = physical(WeftSql.explain(catalog, "SELECT d.name, e.id FROM dim d JOIN events e ON d.key = e.key"));
        // The join's probe (left) side is events, whose read is the stage the join runs in; dim is the built side.
        assertTrue(plan.contains("HashJoin[INNER, left=[key_r], right=[key], broadcast]\n"
                + "    Read[Parquet(paths=[events]"), plan);
        List<Row> rows = WeftSql.query(catalog, "SELECT COUNT(*) AS n FROM dim d JOIN events e ON d.key = e.key")
                .takeAll();
        long expected = WeftSql.query(catalog, "SELECT COUNT(*) AS n FROM events e JOIN dim d ON d.key = e.key")
                .takeAll().getFirst().getLong("n");
        assertEquals(expected, rows.getFirst().getLong("n"));
    }

    @Test
    void tablesJoinInStatementOrderExceptThatNoneWaitsInACrossProduct() {
        // dim a and dim b are only connected through events: a, then events, then b (never a x b).
        String sql = "SELECT a.name, b.name AS other, e.id FROM dim a, dim b, events e "
                + "WHERE a.key = e.key AND b.key = e.g";
        assertEquals("""
                WeftProject(name=[$1], other=[$6], id=[$2])
                  WeftJoin(condition=[=($5, $4)], joinType=[inner])
                    WeftJoin(condition=[=($0, $3)], joinType=[inner])
                      WeftProject(key=[$0], name=[$1])
                        WeftTableScan(table=[[weft, dim]], source)
                      WeftProject(id=[$0], key=[$1], g0=[CAST($4):BIGINT])
                        WeftTableScan(table=[[weft, events]], source)
                    WeftProject(key=[$0], name=[$1])
                      WeftTableScan(table=[[weft, dim]], source)
                """, convention(WeftSql.explain(catalog, sql)));
    }

    @Test
    void conditionsCommonToEveryBranchOfAnOrLeaveItForTheJoinKeysAndTheReads() {
        String sql = "SELECT COUNT(*) AS n FROM events e, dim d WHERE (e.key = d.key AND e.g = 3 AND d.weight < 0.5)"
                + " OR (e.key = d.key AND e.g = 3 AND d.weight > 0.9)";
        String plan = physical(WeftSql.explain(catalog, sql));
        assertTrue(plan.contains("Read[Parquet(paths=[events], columns=[key, g], filter=(g == 3))]"), plan);
        assertTrue(plan.contains("HashJoin[INNER, left=[key], right=[key_r]"), plan);
        long n = WeftSql.query(catalog, sql).takeAll().getFirst().getLong("n");
        long expected = WeftSql.query(catalog, "SELECT COUNT(*) AS n FROM events e JOIN dim d ON e.key = d.key "
                + "WHERE e.g = 3 AND (d.weight < 0.5 OR d.weight > 0.9)").takeAll().getFirst().getLong("n");
        assertEquals(expected, n);
    }

    @Test
    void aStatementIsPlannedOnceUntilATableIsRegisteredOrDropped() {
        WeftCatalog c = WeftCatalog.create().registerParquet("dim", dir.resolve("dim").toString());
        WeftSql.PreparedQuery first = WeftSql.prepare(c, "SELECT name FROM dim WHERE key = 3");
        WeftSql.prepare(c, "SELECT name FROM dim WHERE key = 3");
        assertEquals(1, c.cachedPlans());
        c.registerParquet("events", dir.resolve("events").toString());
        assertEquals(0, c.cachedPlans());
        assertEquals(first.explain(), WeftSql.prepare(c, "SELECT name FROM dim WHERE key = 3").explain());
        c.drop("events");
        assertEquals(0, c.cachedPlans());
    }

    @Test
    void anExistsWithANotEqualCorrelationReadsTheOtherSideOnceAsMinAndMaxPerKey() {
        String sql = "SELECT COUNT(*) AS n FROM events a WHERE EXISTS (SELECT 1 FROM events b WHERE b.key = a.key "
                + "AND b.g <> a.g)";
        String plan = convention(WeftSql.explain(catalog, sql));
        assertTrue(plan.contains("OR(<>($1, $3), <>($1, $4))") && plan.contains("$min=[MIN($1)], $max=[MAX($1)]"),
                plan);
    }
}

package dev.weft.connectors;

import static dev.weft.data.Expr.col;
import static dev.weft.data.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.data.Agg;
import dev.weft.data.DataContext;
import dev.weft.data.DataType;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.FormatOptions;
import dev.weft.data.JoinType;
import dev.weft.data.Row;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dates, timestamps and decimals end to end: inferred and declared in CSV and JSON files, written to and read from
 * Parquet with their logical types, filtered with literals, grouped, sorted and joined on, summed exactly, and kept
 * through a row {@code map}.
 */
class TypesEndToEndTest {
    static Weft weft;

    @BeforeAll
    static void start() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = Weft.init(WeftConfig.builder().address("local").nodes(1, 2).build());
    }

    @AfterAll
    static void stop() {
        weft.close();
    }

    @TempDir
    Path dir;

    static final ArrowType DATE = new ArrowType.Date(DateUnit.DAY);
    static final ArrowType TS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    /** 600 order lines over 30 days of 2024, prices with cents; written as CSV. */
    Path ordersCsv() throws Exception {
        StringBuilder sb = new StringBuilder("id,day,at,price,qty\n");
        for (int i = 0; i < 600; i++) {
            LocalDate day = LocalDate.of(2024, 1, 1).plusDays(i % 30);
            sb.append(i).append(',').append(day).append(',').append(day).append('T').append(String.format("%02d", i % 24))
                    .append(":30:00Z,").append(new BigDecimal(i).movePointLeft(2).add(BigDecimal.ONE)).append(',')
                    .append(i % 5).append('\n');
        }
        Path f = dir.resolve("orders.csv");
        Files.writeString(f, sb.toString());
        return f;
    }

    static Schema declared() {
        return new Schema(List.of(
                new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("day", FieldType.nullable(DATE), null),
                new Field("at", FieldType.nullable(TS), null),
                new Field("price", FieldType.nullable(new ArrowType.Decimal(12, 2, 128)), null),
                new Field("qty", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    }

    static BigDecimal price(int i) {
        return new BigDecimal(i).movePointLeft(2).add(BigDecimal.ONE);
    }

    @Test
    void csvInfersDatesAndTimestampsAndReadsDeclaredDecimals() throws Exception {
        Path csv = ordersCsv();
        Schema inferred = Datasets.readCsv(csv.toString()).schema();
        assertEquals(DATE, inferred.findField("day").getType());
        assertEquals(TS, inferred.findField("at").getType());

        Dataset orders = Datasets.read("csv", List.of(csv.toString()), FormatOptions.builder().schema(declared()).build());
        List<Row> january5 = orders.filter(col("day").eq(lit(LocalDate.of(2024, 1, 5)))).sort("id").takeAll();
        assertEquals(20, january5.size());
        Row first = january5.getFirst();
        assertEquals(LocalDate.of(2024, 1, 5), first.getDate("day"));
        assertEquals(Instant.parse("2024-01-05T04:30:00Z"), first.getTimestamp("at"));
        assertEquals(new BigDecimal("1.04"), first.getDecimal("price"));

        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < 600; i++) {
            if (i % 30 < 7) {
                expected = expected.add(price(i).multiply(BigDecimal.valueOf(i % 5)));
            }
        }
        Row total = orders.filter(col("day").lt("2024-01-08"))
                .withColumn("amount", col("price").times(col("qty")))
                .aggregate(Agg.sum("amount"), Agg.min("day"), Agg.max("at")).takeAll().getFirst();
        assertEquals(0, expected.compareTo(total.getDecimal("sum(amount)")), total.toString());
        assertEquals(LocalDate.of(2024, 1, 1), total.getDate("min(day)"));
        assertEquals(Instant.parse("2024-01-07T18:30:00Z"), total.getTimestamp("max(at)"));
    }

    @Test
    void parquetKeepsLogicalTypesAndGroupsSortsAndJoinsOnThem() throws Exception {
        Dataset orders = Datasets.read("csv", List.of(ordersCsv().toString()),
                FormatOptions.builder().schema(declared()).build());
        Path out = dir.resolve("orders-parquet");
        orders.writeParquet(out.toString());
        Dataset back = Datasets.readParquet(out.toString());
        Schema s = back.schema();
        assertEquals(DATE, s.findField("day").getType());
        assertEquals(TS, s.findField("at").getType());
        assertEquals(new ArrowType.Decimal(12, 2, 128), s.findField("price").getType());

        List<Row> perDay = back.groupBy("day").aggregate(Agg.sum("price"), Agg.mean("price"), Agg.count())
                .sort("day").takeAll();
        assertEquals(30, perDay.size());
        BigDecimal day0 = BigDecimal.ZERO;
        for (int i = 0; i < 600; i += 30) {
            day0 = day0.add(price(i));
        }
        assertEquals(LocalDate.of(2024, 1, 1), perDay.getFirst().getDate("day"));
        assertEquals(day0, perDay.getFirst().getDecimal("sum(price)"));
        assertEquals(day0.divide(BigDecimal.valueOf(20), 6, java.math.RoundingMode.HALF_UP),
                perDay.getFirst().getDecimal("mean(price)"));
        assertEquals(LocalDate.of(2024, 1, 30), perDay.getLast().getDate("day"));

        List<Row> latest = back.sort(new String[] {"at", "id"}, new boolean[] {true, false}).limit(2).takeAll();
        assertEquals(Instant.parse("2024-01-30T23:30:00Z"), latest.getFirst().getTimestamp("at"));

        List<Map<String, Object>> holidays = new ArrayList<>();
        holidays.add(Map.of("day", LocalDate.of(2024, 1, 1), "name", "new year"));
        holidays.add(Map.of("day", LocalDate.of(2024, 1, 15), "name", "mlk"));
        List<Row> joined = back.join(Datasets.fromItems(holidays), "day", JoinType.INNER).takeAll();
        assertEquals(40, joined.size());
        assertTrue(joined.stream().allMatch(r -> r.getDate("day").getDayOfMonth() == 1 || r.getDate("day").getDayOfMonth() == 15));
    }

    @Test
    void rowMapKeepsTypesAndFromItemsTakesThem() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("d", LocalDate.of(2024, 2, 20).plusDays(i));
            m.put("t", Instant.parse("2024-02-20T00:00:00Z").plusSeconds(3600L * i));
            m.put("p", new BigDecimal("2.5").multiply(BigDecimal.valueOf(i)));
            items.add(m);
        }
        Dataset ds = Datasets.fromItems(items).map(r -> r.with("next", r.getDate("d").plusDays(1)));
        Schema s = ds.schema();
        assertEquals(DATE, s.findField("d").getType());
        assertEquals(DATE, s.findField("next").getType());
        assertEquals(TS, s.findField("t").getType());
        assertTrue(s.findField("p").getType() instanceof ArrowType.Decimal);
        List<Row> rows = ds.filter(col("d").plus(Period.ofDays(10)).ge(lit(LocalDate.of(2024, 3, 5))))
                .withColumn("month", col("d").month())
                .withColumn("label", Expr_concat())
                .sort("d").takeAll();
        assertEquals(6, rows.size());
        assertEquals(LocalDate.of(2024, 2, 24), rows.getFirst().getDate("d"));
        assertEquals(2, rows.getFirst().getInt("month"));
        assertEquals(LocalDate.of(2024, 2, 29), rows.getLast().getDate("d"));
        assertEquals(2, rows.getLast().getInt("month"));
        assertEquals("2024-02-24/10.0", rows.getFirst().getString("label"));
        assertEquals(new BigDecimal("22.5"), rows.getLast().getDecimal("p"));
        assertEquals(DataType.DECIMAL, DataType.of(s.findField("p").getType()));
    }

    private static dev.weft.data.Expr Expr_concat() {
        return dev.weft.data.Expr.concat(col("d"), "/", col("p"));
    }

    @Test
    void jsonInfersDatesAndTimestampsAndWritesDecimalsAsNumbers() throws Exception {
        Path json = dir.resolve("events.json");
        Files.writeString(json, """
                {"id": 1, "on": "2024-05-01", "at": "2024-05-01T10:00:00Z", "amount": 1.25}
                {"id": 2, "on": "2024-05-02", "at": "2024-05-02 11:30:00", "amount": 2.50}
                {"id": 3, "on": null, "at": "2024-05-03T12:00:00+02:00", "amount": null}
                """);
        Dataset ds = Datasets.readJson(json.toString());
        assertEquals(DATE, ds.schema().findField("on").getType());
        assertEquals(TS, ds.schema().findField("at").getType());
        List<Row> rows = ds.sort("id").takeAll();
        assertEquals(Instant.parse("2024-05-03T10:00:00Z"), rows.get(2).getTimestamp("at"));
        assertEquals(Instant.parse("2024-05-02T11:30:00Z"), rows.get(1).getTimestamp("at"));
        assertEquals(List.of(2024, 5), List.of(rows.getFirst().getDate("on").getYear(), 5));

        Path out = dir.resolve("decimals-json");
        ds.withColumn("amount", col("amount").cast(10, 2)).writeJson(out.toString());
        Schema declared = new Schema(List.of(new Field("id", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("amount", FieldType.nullable(new ArrowType.Decimal(10, 2, 128)), null)));
        List<Row> back = Datasets.read("json", List.of(out.toString()),
                FormatOptions.builder().schema(declared).option("ignoreUnknownFields", "true").build()).sort("id").takeAll();
        assertEquals(new BigDecimal("2.50"), back.get(1).getDecimal("amount"));
    }
}

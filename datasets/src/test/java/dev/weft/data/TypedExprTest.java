package dev.weft.data;

import static dev.weft.data.Expr.col;
import static dev.weft.data.Expr.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftException;
import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.arrow.RowBatches;
import dev.weft.data.internal.expr.ExprEvaluator;
import dev.weft.data.internal.expr.ExprTypes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dates, timestamps and decimals in the expression evaluator, against hand-computed answers. */
class TypedExprTest {
    private BufferAllocator allocator;
    private VectorSchemaRoot batch;

    @BeforeEach
    void makeBatch() {
        allocator = DataAllocators.child("typed-expr-test");
        Object[][] data = {
                {LocalDate.of(2024, 1, 31), Instant.parse("2024-01-31T10:15:30Z"), new BigDecimal("10.25"), 3L, "2024-02-01"},
                {LocalDate.of(2023, 12, 25), Instant.parse("2023-12-25T23:59:59.5Z"), new BigDecimal("-1.50"), 4L, "x"},
                {null, null, null, null, null},
                {LocalDate.of(2020, 2, 29), Instant.parse("1969-12-31T23:00:00Z"), new BigDecimal("0.05"), -2L, "2020-02-29"},
        };
        List<Row> rows = new ArrayList<>();
        for (Object[] d : data) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("d", d[0]);
            m.put("t", d[1]);
            m.put("p", d[2]);
            m.put("n", d[3]);
            m.put("s", d[4]);
            rows.add(Row.of(m));
        }
        batch = RowBatches.fromRows(rows, allocator, "test", null);
    }

    @AfterEach
    void close() {
        batch.close();
        allocator.close();
        WeftCluster.assertNoLeaks();
    }

    private List<Object> eval(Expr e) {
        try (FieldVector v = ExprEvaluator.evaluate(e, batch, allocator, "out")) {
            ArrowType expected = ExprTypes.arrowType(e, batch.getSchema());
            if (expected != null) {
                assertEquals(expected, v.getField().getType(), "planned type of " + e);
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < v.getValueCount(); i++) {
                out.add(RowBatches.value(v, i));
            }
            return out;
        }
    }

    private static List<Object> list(Object... values) {
        return java.util.Arrays.asList(values);
    }

    @Test
    void decimalsAsDoublesAreTheCorrectlyRoundedValues() {
        // Unscaled values of up to 18 digits at scales 0..18: the double of each must be BigDecimal's own.
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        for (int scale : new int[] {0, 2, 4, 9, 18}) {
            List<Row> rows = new ArrayList<>();
            List<BigDecimal> values = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long digits = (long) Math.pow(10, 1 + rng.nextInt(18));
                BigDecimal v = i == 7 ? null : BigDecimal.valueOf(rng.nextLong(-digits + 1, digits), scale);
                values.add(v);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("v", v);
                rows.add(Row.of(m));
            }
            try (VectorSchemaRoot b = RowBatches.fromRows(rows, allocator, "test", null);
                 FieldVector out = ExprEvaluator.evaluate(col("v").cast(DataType.FLOAT64), b, allocator, "out")) {
                for (int i = 0; i < values.size(); i++) {
                    Object expected = values.get(i) == null ? null : values.get(i).doubleValue();
                    assertEquals(expected, RowBatches.value(out, i), "scale " + scale + ", value " + values.get(i));
                }
            }
        }
    }

    @Test
    void rowsOfTheNewTypesGetArrowTypesOfTheirOwn() {
        assertEquals(new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY), batch.getVector("d").getField().getType());
        assertEquals(DataType.TIMESTAMP.arrowType(), batch.getVector("t").getField().getType());
        assertEquals(new ArrowType.Decimal(38, 2, 128), batch.getVector("p").getField().getType());
        assertEquals(list(LocalDate.of(2024, 1, 31), LocalDate.of(2023, 12, 25), null, LocalDate.of(2020, 2, 29)), eval(col("d")));
    }

    @Test
    void datesCompareWithDatesTimestampsAndStrings() {
        assertEquals(list(true, false, null, false), eval(col("d").gt(lit(LocalDate.of(2024, 1, 1)))));
        assertEquals(list(true, false, null, false), eval(col("d").ge("2024-01-01")));
        assertEquals(list(true, true, null, false), eval(col("d").lt(col("t"))));
        WeftException unparsable = assertThrows(WeftException.class, () -> eval(col("d").eq(col("s"))));
        assertTrue(unparsable.getMessage().contains("cannot cast value 'x' at row 1 to DATE"), unparsable.getMessage());
        assertEquals(list(true, true, null, false), eval(col("t").gt(lit(LocalDateTime.of(1970, 1, 1, 0, 0)))));
        assertEquals(list(false, false, null, false), eval(col("d").between("2024-02-01", "2024-12-31")));
        assertThrows(IllegalArgumentException.class, () -> eval(col("d").lt(3)));
    }

    @Test
    void datePartsTruncationAndDifferences() {
        assertEquals(list(2024, 2023, null, 2020), eval(col("d").year()));
        assertEquals(list(1, 12, null, 2), eval(col("d").month()));
        assertEquals(list(31, 25, null, 29), eval(col("d").day()));
        assertEquals(list(4, 2, null, 7), eval(col("d").dayOfWeek()));
        assertEquals(list(10, 23, null, 23), eval(col("t").hour()));
        assertEquals(list(2024, 2023, null, 1969), eval(col("t").year()));
        assertEquals(list(LocalDate.of(2024, 1, 1), LocalDate.of(2023, 12, 1), null, LocalDate.of(2020, 2, 1)),
                eval(col("d").dateTrunc("month")));
        assertEquals(list(LocalDate.of(2024, 1, 1), LocalDate.of(2023, 10, 1), null, LocalDate.of(2020, 1, 1)),
                eval(col("d").dateTrunc("quarter")));
        assertEquals(list(LocalDate.of(2024, 1, 29), LocalDate.of(2023, 12, 25), null, LocalDate.of(2020, 2, 24)),
                eval(col("d").dateTrunc("week")));
        assertEquals(list(Instant.parse("2024-01-31T10:00:00Z"), Instant.parse("2023-12-25T23:00:00Z"), null,
                Instant.parse("1969-12-31T23:00:00Z")), eval(col("t").dateTrunc("hour")));
        assertEquals(list(0, 0, null, 18322), eval(col("d").dateDiff(col("t"))));
        assertEquals(list(-1, null, null, 0),
                eval(col("d").dateDiff(Expr.when(col("s").ne("x"), col("s")).cast(DataType.DATE))));
    }

    @Test
    void intervalsAndDateAdd() {
        assertEquals(list(LocalDate.of(2024, 2, 29), LocalDate.of(2024, 1, 25), null, LocalDate.of(2020, 3, 29)),
                eval(col("d").plus(Period.ofMonths(1))));
        assertEquals(list(LocalDate.of(2024, 2, 3), LocalDate.of(2023, 12, 29), null, LocalDate.of(2020, 2, 27)),
                eval(col("d").dateAdd(col("n"))));
        assertEquals(list(LocalDate.of(2023, 1, 31), LocalDate.of(2022, 12, 25), null, LocalDate.of(2019, 2, 28)),
                eval(col("d").minus(Period.ofYears(1))));
        assertEquals(list(Instant.parse("2024-01-31T11:45:30Z"), Instant.parse("2023-12-26T01:29:59.5Z"), null,
                Instant.parse("1970-01-01T00:30:00Z")), eval(col("t").plus(Duration.ofMinutes(90))));
        assertEquals(list(LocalDate.of(2024, 2, 29), LocalDate.of(2024, 1, 25), null, LocalDate.of(2020, 3, 29)),
                eval(col("d").addMonths(1)));
    }

    @Test
    void decimalsCompareAndComputeExactlyWithSqlResultTypes() {
        assertEquals(list(true, false, null, false), eval(col("p").gt(new BigDecimal("0.05"))));
        assertEquals(list(false, false, null, true), eval(col("p").eq(lit(new BigDecimal("0.050")))));
        assertEquals(list(true, false, null, true), eval(col("p").gt(col("n").times(0))));
        assertEquals(list(new BigDecimal("13.25"), new BigDecimal("2.50"), null, new BigDecimal("-1.95")),
                eval(col("p").plus(col("n"))));
        // DECIMAL(38, 2) + INT64 (as DECIMAL(20, 0)) needs 39 digits: capped at 38, keeping the scale.
        assertEquals(new ArrowType.Decimal(38, 2, 128), ExprTypes.arrowType(col("p").plus(col("n")), batch.getSchema()));
        assertEquals(new ArrowType.Decimal(13, 2, 128), ExprTypes.arrowType(col("p").cast(12, 2).plus(col("p").cast(10, 1)),
                batch.getSchema()));
        assertEquals(list(new BigDecimal("30.75"), new BigDecimal("-6.00"), null, new BigDecimal("-0.10")),
                eval(col("p").times(col("n"))));
        assertEquals(list(new BigDecimal("0.1025"), new BigDecimal("-0.0150"), null, new BigDecimal("0.0005")),
                eval(col("p").times(new BigDecimal("0.01"))));
        List<Object> quotient = eval(col("p").div(col("n")));
        assertEquals(0, new BigDecimal("3.416667").compareTo(((BigDecimal) quotient.get(0)).setScale(6, java.math.RoundingMode.HALF_UP)));
        assertEquals(list(10.75, -1.0, null, 0.55), eval(col("p").plus(0.5)));
        assertEquals(list(new BigDecimal("10.3"), new BigDecimal("-1.5"), null, new BigDecimal("0.1")), eval(col("p").round(1)));
    }

    @Test
    void castsBetweenTheNewTypesStringsAndNumbers() {
        assertEquals(list("2024-01-31", "2023-12-25", null, "2020-02-29"), eval(col("d").cast(DataType.STRING)));
        assertEquals(list("10.25", "-1.50", null, "0.05"), eval(col("p").cast(DataType.STRING)));
        assertEquals(list(10L, -1L, null, 0L), eval(col("p").cast(DataType.INT64)));
        assertEquals(list(new BigDecimal("10.3"), new BigDecimal("-1.5"), null, new BigDecimal("0.1")),
                eval(col("p").cast(5, 1)));
        assertEquals(list(new BigDecimal("3.00"), new BigDecimal("4.00"), null, new BigDecimal("-2.00")),
                eval(col("n").cast(10, 2)));
        assertEquals(list(Instant.parse("2024-01-31T00:00:00Z"), Instant.parse("2023-12-25T00:00:00Z"), null,
                Instant.parse("2020-02-29T00:00:00Z")), eval(col("d").cast(DataType.TIMESTAMP)));
        assertEquals(list(LocalDate.of(2024, 1, 31), LocalDate.of(2023, 12, 25), null, LocalDate.of(1969, 12, 31)),
                eval(col("t").cast(DataType.DATE)));
        assertEquals(list(LocalDate.of(2024, 2, 1)), eval(lit("2024-02-01").cast(DataType.DATE)).subList(0, 1));
        WeftException bad = assertThrows(WeftException.class, () -> eval(col("s").cast(DataType.DATE)));
        assertTrue(bad.getMessage().contains("'x' at row 1"), bad.getMessage());
        WeftException overflow = assertThrows(WeftException.class, () -> eval(col("p").cast(3, 2)));
        assertTrue(overflow.getMessage().contains("does not fit DECIMAL(3, 2)"), overflow.getMessage());
    }

    @Test
    void literalsOfTheNewTypes() {
        assertEquals(list(LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 1)),
                eval(lit(LocalDate.of(2024, 3, 1))));
        assertEquals(Instant.parse("2024-03-01T12:00:00Z"), eval(lit(LocalDateTime.of(2024, 3, 1, 12, 0))).get(0));
        assertEquals(new BigDecimal("1.23"), eval(lit(new BigDecimal("1.23"))).get(2));
        assertEquals("DATE '2024-03-01'", lit(LocalDate.of(2024, 3, 1)).toString());
    }
}

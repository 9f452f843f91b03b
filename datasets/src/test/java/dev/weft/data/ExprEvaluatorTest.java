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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vectorized expression evaluator against hand-computed answers, including SQL null semantics. */
class ExprEvaluatorTest {
    private BufferAllocator allocator;
    private VectorSchemaRoot batch;

    @BeforeEach
    void makeBatch() {
        allocator = DataAllocators.child("expr-test");
        List<Row> rows = new ArrayList<>();
        Object[][] data = {
                {1L, 1.5, "apple", true, 10},
                {2L, null, "Banana", false, 20},
                {null, -3.0, null, null, 30},
                {4L, 0.25, "çherry", true, null},
        };
        for (Object[] d : data) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", d[0]);
            m.put("x", d[1]);
            m.put("s", d[2]);
            m.put("b", d[3]);
            m.put("i", d[4]);
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
    void arithmeticPromotesAndPropagatesNulls() {
        assertEquals(list(2L, 4L, null, 8L), eval(col("a").times(2)));
        assertEquals(list(2.5, null, null, 4.25), eval(col("a").plus(col("x"))));
        assertEquals(list(0.5, 1.0, null, 2.0), eval(col("a").div(2)));
        assertEquals(list(11, 21, 31, null), eval(col("i").plus(1)));
        assertEquals(list(1L, 0L, null, 0L), eval(col("a").mod(2L)));
        assertEquals(list(7L, 7L, 7L, 7L), eval(lit(3L).plus(lit(4L))));
    }

    @Test
    void floatingArithmeticWithAConstantOnEitherSide() {
        assertEquals(list(4.0, null, -5.0, 1.5), eval(col("x").times(2).plus(1)));
        assertEquals(list(8.5, null, 13.0, 9.75), eval(lit(10.0).minus(col("x"))));
        assertEquals(list(-8.5, null, -13.0, -9.75), eval(col("x").minus(10.0)));
        assertEquals(list(2.0, null, -1.0, 12.0), eval(lit(3.0).div(col("x"))));
        assertEquals(list(1.5, null, -1.0, 0.25), eval(col("x").mod(2.0)));
    }

    @Test
    void nullFreeColumnsAgainstConstantsInEveryOperator() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            rows.add(Row.of("l", (long) i - 5, "d", i * 0.5 - 2.5));
        }
        try (VectorSchemaRoot b = RowBatches.fromRows(rows, allocator, "test", null)) {
            Expr[] exprs = {col("l").lt(0L), col("l").le(0L), col("l").gt(0L), col("l").ge(0L), col("l").eq(0L),
                    col("l").ne(0L), col("d").lt(0), col("d").le(0.0), col("d").gt(0.0), col("d").ge(0.0),
                    col("d").eq(0.0), col("d").ne(0.0)};
            for (Expr e : exprs) {
                String op = e.toString();
                try (FieldVector v = ExprEvaluator.evaluate(e, b, allocator, "out")) {
                    for (int i = 0; i < 11; i++) {
                        int sign = Integer.signum(i - 5);
                        boolean expected = op.contains("<=") ? sign <= 0 : op.contains(">=") ? sign >= 0
                                : op.contains("!=") ? sign != 0 : op.contains("<") ? sign < 0
                                : op.contains(">") ? sign > 0 : sign == 0;
                        assertEquals(expected, RowBatches.value(v, i), e + " at row " + i);
                    }
                }
            }
        }
    }

    @Test
    void asciiCaseMappingKeepsNullsAndEmptyValues() {
        List<Row> rows = new ArrayList<>();
        for (String s : new String[] {"apple", null, "MiXed-9_z", ""}) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("s", s);
            rows.add(Row.of(m));
        }
        try (VectorSchemaRoot ascii = RowBatches.fromRows(rows, allocator, "test", null)) {
            for (boolean upper : new boolean[] {true, false}) {
                Expr e = upper ? col("s").upper() : col("s").lower();
                try (FieldVector v = ExprEvaluator.evaluate(e, ascii, allocator, "out")) {
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < v.getValueCount(); i++) {
                        out.add(RowBatches.value(v, i));
                    }
                    assertEquals(upper ? list("APPLE", null, "MIXED-9_Z", "") : list("apple", null, "mixed-9_z", ""), out);
                }
            }
            // A slice starts at a non-zero data offset: offsets are rebased.
            try (VectorSchemaRoot tail = ascii.slice(2, 2);
                 FieldVector v = ExprEvaluator.evaluate(col("s").upper(), tail, allocator, "out")) {
                assertEquals(list("MIXED-9_Z", ""), list(RowBatches.value(v, 0), RowBatches.value(v, 1)));
            }
        }
    }

    @Test
    void asciiCaseMappingMatchesJavaForEveryAsciiByteAtEveryWordPosition() {
        // Values of lengths 0..19 made of every ASCII byte in turn, so each byte lands at every position of the
        // eight-byte words the mapping works on, and in the tail; the column is also read through an offset slice.
        List<Row> rows = new ArrayList<>();
        List<String> values = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 40; round++) {
            for (int len = 0; len < 20; len++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    b.append((char) (next++ % 128));
                }
                values.add(b.toString());
                rows.add(Row.of("s", b.toString()));
            }
        }
        try (VectorSchemaRoot batch = RowBatches.fromRows(rows, allocator, "test", null);
             VectorSchemaRoot tail = batch.slice(3, rows.size() - 3)) {
            for (VectorSchemaRoot in : List.of(batch, tail)) {
                int skip = in == batch ? 0 : 3;
                for (boolean upper : new boolean[] {true, false}) {
                    try (FieldVector v = ExprEvaluator.evaluate(upper ? col("s").upper() : col("s").lower(), in,
                            allocator, "out")) {
                        for (int i = 0; i < v.getValueCount(); i++) {
                            String s = values.get(i + skip);
                            assertEquals(upper ? s.toUpperCase(java.util.Locale.ROOT) : s.toLowerCase(java.util.Locale.ROOT),
                                    RowBatches.value(v, i), (upper ? "upper" : "lower") + " of value " + (i + skip));
                        }
                    }
                }
            }
        }
    }

    @Test
    void comparisonsOnNumbersAndStrings() {
        assertEquals(list(false, null, true, true), eval(col("x").lt(0.5)));
        assertEquals(list(true, false, null, false), eval(col("s").eq("apple")));
        assertEquals(list(false, true, null, false), eval(col("s").lt("apple")));
        assertEquals(list(true, true, null, true), eval(col("a").le(col("a"))));
        assertEquals(list(false, false, true, false), eval(col("a").isNull()));
    }

    @Test
    void booleanLogicFollowsTheTruthTablesOverSeveralBitmapBytes() {
        // Every pair of (true, false, null) three times over: 27 rows, so the bitmaps span four bytes.
        Boolean[] values = {true, false, null};
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            for (Boolean p : values) {
                for (Boolean q : values) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("p", p);
                    m.put("q", q);
                    rows.add(Row.of(m));
                }
            }
        }
        try (VectorSchemaRoot b = RowBatches.fromRows(rows, allocator, "test", null)) {
            for (String op : List.of("and", "or", "not", "and true", "or false", "and null")) {
                Expr e = switch (op) {
                    case "and" -> col("p").and(col("q"));
                    case "or" -> col("p").or(col("q"));
                    case "not" -> col("p").not();
                    case "and true" -> col("p").and(lit(true));
                    case "or false" -> col("p").or(lit(false));
                    default -> col("p").and(new Expr.Literal(null));
                };
                try (FieldVector v = ExprEvaluator.evaluate(e, b, allocator, "out")) {
                    for (int i = 0; i < rows.size(); i++) {
                        Boolean p = (Boolean) rows.get(i).get("p");
                        Boolean q = (Boolean) rows.get(i).get("q");
                        Boolean expected = switch (op) {
                            case "and" -> and(p, q);
                            case "or" -> or(p, q);
                            case "not" -> p == null ? null : !p;
                            case "and true" -> and(p, true);
                            case "or false" -> or(p, false);
                            default -> and(p, null);
                        };
                        assertEquals(expected, RowBatches.value(v, i), op + " at row " + i + " (" + p + ", " + q + ")");
                    }
                }
            }
        }
    }

    private static Boolean and(Boolean p, Boolean q) {
        if (Boolean.FALSE.equals(p) || Boolean.FALSE.equals(q)) {
            return false;
        }
        return p == null || q == null ? null : true;
    }

    private static Boolean or(Boolean p, Boolean q) {
        if (Boolean.TRUE.equals(p) || Boolean.TRUE.equals(q)) {
            return true;
        }
        return p == null || q == null ? null : false;
    }

    @Test
    void booleanLogicIsThreeValued() {
        // b: true, false, null, true ; x < 0.5: false, null, true, true
        assertEquals(list(false, false, null, true), eval(col("b").and(col("x").lt(0.5))));
        assertEquals(list(true, null, true, true), eval(col("b").or(col("x").lt(0.5))));
        assertEquals(list(false, true, null, false), eval(col("b").not()));
    }

    @Test
    void stringFunctionsWorkOnUtf8() {
        assertEquals(list("APPLE", "BANANA", null, "ÇHERRY"), eval(col("s").upper()));
        assertEquals(list("apple", "banana", null, "çherry"), eval(col("s").lower()));
        assertEquals(list(5, 6, null, 6), eval(col("s").length()));
        assertEquals(list("pp", "an", null, "he"), eval(col("s").substr(1, 2)));
    }

    @Test
    void castsConvertAndNameBadValues() {
        assertEquals(list("1", "2", null, "4"), eval(col("a").cast(DataType.STRING)));
        assertEquals(list(1, -3), eval(col("x").cast(DataType.INT32)).stream().filter(java.util.Objects::nonNull)
                .filter(v -> (int) v != 0).toList());
        assertEquals(list(1.0, 2.0, null, 4.0), eval(col("a").cast(DataType.STRING).cast(DataType.FLOAT64)));
        WeftException e = assertThrows(WeftException.class, () -> eval(col("s").cast(DataType.INT64)));
        assertTrue(e.getMessage().contains("'apple'") && e.getMessage().contains("row 0"), e.getMessage());
    }

    @Test
    void badExpressionsNameTheColumn() {
        var missing = assertThrows(IllegalArgumentException.class, () -> eval(col("nope").gt(1)));
        assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
        var types = assertThrows(IllegalArgumentException.class, () -> eval(col("s").plus(1)));
        assertTrue(types.getMessage().contains("STRING"), types.getMessage());
    }

    @Test
    void conjunctsAndColumnsAreInspectable() {
        Expr e = col("x").lt(0.5).and(col("a").ge(2L).and(col("s").isNotNull()));
        assertEquals(3, e.conjuncts().size());
        assertEquals(List.of("x", "a", "s"), List.copyOf(e.columns()));
        assertTrue(e.conjuncts().getFirst() instanceof Expr.Compare(CompareOp op, Expr.Column c, Expr.Literal l)
                && op == CompareOp.LT && c.name().equals("x") && l.value().equals(0.5));
    }
}

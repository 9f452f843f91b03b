package dev.weft.data;

import static dev.weft.data.Expr.coalesce;
import static dev.weft.data.Expr.col;
import static dev.weft.data.Expr.concat;
import static dev.weft.data.Expr.lit;
import static dev.weft.data.Expr.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.internal.arrow.DataAllocators;
import dev.weft.data.internal.arrow.RowBatches;
import dev.weft.data.internal.expr.ExprEvaluator;
import dev.weft.data.internal.expr.ExprTypes;
import java.math.BigDecimal;
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

/** Spark's everyday functions in the vectorized evaluator, with SQL null semantics, against hand-computed answers. */
class FunctionsTest {
    private BufferAllocator allocator;
    private VectorSchemaRoot batch;

    @BeforeEach
    void makeBatch() {
        allocator = DataAllocators.child("functions-test");
        Object[][] data = {
                {1L, 2.345, "  Apple pie ", "a-12-b", 7},
                {2L, null, "banana", "x-3-y", null},
                {null, -1.5, null, "none", 3},
                {4L, 10.0, "Cherry", null, -8},
        };
        List<Row> rows = new ArrayList<>();
        for (Object[] d : data) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", d[0]);
            m.put("x", d[1]);
            m.put("s", d[2]);
            m.put("code", d[3]);
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
            ArrowType planned = ExprTypes.arrowType(e, batch.getSchema());
            if (planned != null) {
                assertEquals(planned, v.getField().getType(), "planned type of " + e);
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
    void whenOtherwisePicksTheFirstTrueBranchAndWidensTypes() {
        assertEquals(list("small", "small", null, "big"),
                eval(when(col("a").lt(3L), "small").when(col("a").ge(3L), "big")));
        assertEquals(list("small", "small", "none", "big"),
                eval(when(col("a").lt(3L), "small").when(col("a").ge(3L), "big").otherwise("none")));
        assertEquals(list(1.0, 2.0, -1.5, 4.0), eval(when(col("a").isNotNull(), col("a")).otherwise(col("x"))));
        assertEquals(list(1.0, 2.0, -1.5, 4.0), eval(coalesce(col("a"), col("x"))));
        assertThrows(IllegalArgumentException.class, () -> eval(when(col("a").lt(3L), "x").otherwise(1)));
    }

    @Test
    void coalesceTakesTheFirstNonNull() {
        assertEquals(list(2.345, 2.0, -1.5, 10.0), eval(coalesce(col("x"), col("a"))));
        assertEquals(list(7L, 0L, 3L, -8L), eval(coalesce(col("i"), 0L)));
        assertEquals(list("  Apple pie ", "banana", "?", "Cherry"), eval(coalesce(col("s"), lit("?"))));
    }

    @Test
    void stringFunctions() {
        assertEquals(list("Apple pie", "banana", null, "Cherry"), eval(col("s").trim()));
        assertEquals(list("Apple pie ", "banana", null, "Cherry"), eval(col("s").ltrim()));
        assertEquals(list("  Apple pie", "banana", null, "Cherry"), eval(col("s").rtrim()));
        assertEquals(list("1:a-12-b", "2:x-3-y", null, null), eval(concat(col("a"), ":", col("code"))));
        assertEquals(list("ban", "Che"), eval(col("s").trim().substring(1, 3)).subList(1, 4).stream()
                .filter(java.util.Objects::nonNull).toList());
        assertEquals(list("  apple pie ", "banana", null, "cherry"), eval(col("s").lower()));
        assertEquals(list(12, 6, null, 6), eval(col("s").length()));
    }

    @Test
    void regularExpressionsAndLike() {
        assertEquals(list("12", "3", "", null), eval(col("code").regexpExtract("(\\d+)", 1)));
        assertEquals(list("a-#-b", "x-#-y", "none", null), eval(col("code").regexpReplace("\\d+", "#")));
        assertEquals(list(false, true, null, false), eval(col("s").like("b%a")));
        assertEquals(list(true, false, null, false), eval(col("s").like("%pie_")));
        assertEquals(list(true, true, false, null), eval(col("code").rlike("\\d")));
        assertThrows(IllegalArgumentException.class, () -> col("code").regexpExtract("(a)", 2));
    }

    @Test
    void inBetweenAndNullSafeEquality() {
        assertEquals(list(true, false, null, true), eval(col("a").in(1L, 4L)));
        assertEquals(list(false, true, null, false), eval(col("s").in("banana", "kiwi")));
        assertEquals(list(true, true, null, false), eval(col("a").between(1L, 2L)));
        assertEquals(list(false, false, true, false), eval(col("a").eqNullSafe(null)));
        assertEquals(list(false, false, false, false), eval(col("a").eqNullSafe(col("i"))));
        assertEquals(list(true, true, true, true), eval(col("a").eqNullSafe(col("a"))));
        assertEquals(list(false, true, true, false), eval(col("a").isNull().or(col("x").isNull())));
    }

    @Test
    void mathFunctions() {
        assertEquals(list(2.35, null, -1.5, 10.0), eval(col("x").round(2)));
        assertEquals(list(2.0, null, -2.0, 10.0), eval(col("x").round()));
        assertEquals(list(7, null, 3, 8), eval(col("i").abs()));
        assertEquals(list(1.0, 4.0, null, 16.0), eval(col("a").pow(2)));
        assertEquals(list(0L, 0L, null, 0L), eval(col("a").round(-1)));
        assertEquals(list(2L, null, -2L, 10L), eval(col("x").floor()));
        assertEquals(list(new BigDecimal("2.35")), eval(lit(new BigDecimal("2.345")).round(2)).subList(0, 1));
        assertThrows(IllegalArgumentException.class, () -> eval(col("s").abs()));
    }
}

package dev.weft.data;

import static dev.weft.data.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The new types and functions are checked when the plan is built, with the rules the evaluator uses: a missing
 * column or a wrong operand type is an {@link AnalysisException} before anything runs, and the planned schema is
 * the one the batches will have. No cluster needed.
 */
class TypeAnalysisTest {
    static Dataset orders() {
        return Datasets.fromItems(List.of(
                Map.of("d", LocalDate.of(2024, 1, 31), "name", "a", "price", new BigDecimal("1.25"), "qty", 3L)));
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    @Test
    void aMisspelledColumnInsideAFunctionFailsWhenThePlanIsBuilt() {
        AnalysisException e = assertThrows(AnalysisException.class,
                () -> orders().filter(col("dd").year().eq(2024)));
        assertEquals("dd", e.column());
        assertTrue(e.getMessage().contains("column 'dd' does not exist"), e.getMessage());
        assertThrows(AnalysisException.class, () -> orders().withColumn("x", Expr.coalesce(col("nope"), 1)));
    }

    @Test
    void wrongOperandTypesFailWhenThePlanIsBuilt() {
        AnalysisException year = assertThrows(AnalysisException.class, () -> orders().withColumn("y", col("name").year()));
        assertTrue(year.getMessage().contains("date functions need a DATE or TIMESTAMP operand"), year.getMessage());
        AnalysisException cmp = assertThrows(AnalysisException.class, () -> orders().filter(col("d").lt(3)));
        assertTrue(cmp.getMessage().contains("cannot compare DATE with INT32"), cmp.getMessage());
        AnalysisException arith = assertThrows(AnalysisException.class, () -> orders().withColumn("z", col("d").plus(1)));
        assertTrue(arith.getMessage().contains("dateAdd"), arith.getMessage());
        assertThrows(AnalysisException.class, () -> orders().filter(col("name").like("a%").and(col("qty"))));
    }

    @Test
    void thePlannedSchemaCarriesDecimalPrecisionAndDateTypes() {
        Dataset ds = orders().withColumn("amount", col("price").times(col("qty")))
                .withColumn("month", col("d").dateTrunc("month"))
                .withColumn("label", Expr.when(col("qty").gt(2L), "many").otherwise("few"));
        var schema = ds.schema();
        assertEquals(new ArrowType.Decimal(38, 2, 128), schema.findField("amount").getType());
        assertEquals(DataType.DATE.arrowType(), schema.findField("month").getType());
        assertEquals(ArrowType.Utf8.INSTANCE, schema.findField("label").getType());
    }
}

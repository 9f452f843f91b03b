package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.Row;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TpchRunnerTest {
    private static Row row(String name, Object v, String name2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(name, v);
        m.put(name2, v2);
        return Row.of(m);
    }

    @Test
    void answersAgreeWhenNumbersAgreeToSevenDigitsWhateverTheirType() {
        List<Row> weft = List.of(row("n", "GERMANY", "v", new BigDecimal("1234.5600")));
        assertNull(TpchRunner.differs(weft, List.of("n", "v"), List.of(List.of("GERMANY", 1234.56))));
    }

    @Test
    void answersDifferOnAValueOrARowCount() {
        List<Row> weft = List.of(row("n", "GERMANY", "v", new BigDecimal("0.028649")));
        assertTrue(TpchRunner.differs(weft, List.of("n", "v"), List.of(List.of("GERMANY", 0.02864874)))
                .startsWith("row differs"));
        assertTrue(TpchRunner.differs(weft, List.of("n", "v"), List.of()).startsWith("Weft gave 1 rows"));
    }

    @Test
    void medianAndGeometricMean() {
        assertEquals(2.0, TpchRunner.median(List.of(3L, 1L, 2L)));
        assertEquals(2.5, TpchRunner.median(List.of(4L, 1L, 2L, 3L)));
        assertEquals(4.0, TpchRunner.geomean(List.of(2.0, 8.0)), 1e-12);
    }
}

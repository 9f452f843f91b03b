package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void sumsWithinARelativeBillionthAgreeAndIntegersMustBeExact() {
        Map<String, Object> a = Checks.normalize(Map.of("count", 10, "sum", 1.0e6, "max", "zz"));
        assertEquals(List.of(), Checks.differences(a, Checks.normalize(Map.of("count", 10L, "sum", 1.0e6 + 1e-4,
                "max", "zz"))));
        List<String> diffs = Checks.differences(a, Checks.normalize(Map.of("count", 11L, "sum", 1.0e6 + 1e-2,
                "max", "zy")));
        assertEquals(3, diffs.size(), diffs.toString());
        assertTrue(diffs.stream().anyMatch(d -> d.startsWith("sum: ") && d.contains("relative difference")), diffs.toString());
    }

    @Test
    void tablesAreComparedCellByCellAndMissingValuesAreNamed() {
        Map<String, Object> a = Checks.normalize(Map.of("table", List.of(List.of(0L, 5L, 0.5, "x"))));
        Map<String, Object> b = Checks.normalize(Map.of("table", List.of(List.of(0, 6, 0.5, "x")), "extra", 1));
        List<String> diffs = Checks.differences(a, b);
        assertEquals(List.of("table[0][1]: 5 vs 6", "extra: unexpected value 1"), diffs);
        assertEquals(List.of("table: missing (expected [[0, 5, 0.5, x]])"), Checks.differences(a, Map.of()));
    }
}

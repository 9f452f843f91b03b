package dev.weft.bench.macro;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MacroReportTest {

    private static RunRecord run(int round, double seconds) {
        return new RunRecord(round, (long) (seconds * 1e9), (long) (seconds * 1e9), 0, 0.5, seconds, 0, 0, false,
                Map.of());
    }

    private static EngineOutcome engine(String name, double... seconds) {
        EngineOutcome e = new EngineOutcome(name, null);
        for (int i = 0; i < seconds.length; i++) {
            e.add(run(i + 1, seconds[i]));
        }
        return e;
    }

    @Test
    void theTableShowsDuckDbsMedianAndTheMedianOfTheWeftOverDuckDbPairs() {
        WorkloadOutcome w2 = new WorkloadOutcome(Workload.W2);
        w2.getEngines().put("weft", engine("weft", 1.0, 3.0, 2.0));
        w2.getEngines().put("duckdb", engine("duckdb", 2.0, 2.0, 1.0));
        String table = MacroReport.table(List.of(w2));
        // pairs 0.5, 1.5, 2.0: median 1.50 > 1.25
        assertTrue(table.contains("| W2 | 2.000 | — | 2.000 | — | — | 1.50 | **not met** |"), table);
        assertTrue(w2.getRatios().containsKey("weft/duckdb"), w2.getRatios().toString());
    }

    @Test
    void workloadsWithoutADuckDbTargetShowTheRatioButNoVerdict() {
        WorkloadOutcome w4m = new WorkloadOutcome(Workload.W4M);
        w4m.getEngines().put("weft", engine("weft", 1.0));
        w4m.getEngines().put("duckdb", engine("duckdb", 0.5));
        String table = MacroReport.table(List.of(w4m));
        assertTrue(table.contains("| W4M | 1.000 | — | 0.500 | — | — | 2.00 | — |"), table);
    }
}

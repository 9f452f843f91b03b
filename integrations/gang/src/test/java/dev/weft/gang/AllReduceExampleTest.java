package dev.weft.gang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.PlacementStrategy;
import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@WeftTest(nodes = 4, cpusPerNode = 1)
class AllReduceExampleTest {
    @Test
    void everyMemberEndsWithTheExactAverage(Weft weft) {
        List<double[]> averaged = AllReduceExample.run(weft, 4, PlacementStrategy.STRICT_SPREAD);
        assertEquals(4, averaged.size());
        for (double[] g : averaged) {
            for (int i = 0; i < g.length; i++) {
                assertEquals(10.0 + i % 8, g[i], 0.0, "index " + i); // (4 + 8 + 12 + 16) / 4 + i % 8
            }
        }
    }
}

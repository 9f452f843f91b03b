package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@WeftTest(nodes = 2, cpusPerNode = 2)
class ExecutorExampleTest {
    @Test
    void theExampleEstimatesPiAndCountsPrimes(Weft weft) throws Exception {
        List<Object> r = ExecutorExample.run(weft);
        double pi = (Double) r.get(0);
        assertTrue(Math.abs(pi - Math.PI) < 0.01, "pi estimate " + pi);
        assertEquals(List.of(4, 25, 168, 1229), r.subList(1, r.size()));
    }
}

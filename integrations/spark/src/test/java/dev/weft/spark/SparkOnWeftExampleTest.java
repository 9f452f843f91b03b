package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The example as a user runs it: no Weft running in the JVM, so master {@code weft} starts an embedded cluster for
 * the application and closes it with the application.
 */
@Timeout(300)
class SparkOnWeftExampleTest {
    @Test
    void theExampleRunsW4OnAnEmbeddedClusterItStartsAndStops() throws Exception {
        assertThrows(WeftException.class, Weft::current, "no Weft running before");
        SparkOnWeftExample.Summary s;
        // SparkConf reads spark.* system properties: keeps the executors' logs out of the temporary directory
        System.setProperty("spark.weft.executor.logDir", SparkTests.EXECUTOR_LOGS.toString());
        try {
            s = SparkOnWeftExample.run(25_000);
        } finally {
            System.clearProperty("spark.weft.executor.logDir");
        }
        assertEquals(100_000, s.count(), "Σcount: every row in one group");
        assertTrue(s.groups() > 60_000 && s.groups() <= 100_000, "groups of 100,000 rows over 100,000 keys: " + s);
        assertTrue(s.sumX() > 49_000 && s.sumX() < 51_000, "Σsum(x) of 100,000 uniform draws: " + s);
        assertThrows(WeftException.class, Weft::current, "the embedded Weft closed with the application");
        SparkTests.await("no executor JVM after stop", () -> SparkTests.executorProcesses().isEmpty());
    }
}

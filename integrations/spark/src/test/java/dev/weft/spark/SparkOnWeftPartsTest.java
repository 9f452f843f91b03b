package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure parts: master URLs, the executor's shape, its command line and argument file. No Spark, no Weft. */
class SparkOnWeftPartsTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void masterUrls() {
        WeftClusterManager manager = new WeftClusterManager();
        assertTrue(manager.canCreate("weft"));
        assertTrue(manager.canCreate("weft://head:6380"));
        assertTrue(manager.canCreate("weft:oops"), "claimed, so that it fails with Weft's message");
        assertFalse(manager.canCreate("local[2]"));
        assertFalse(manager.canCreate("weftx"));
        assertNull(WeftMasterUrl.parse("weft").clusterAddress());
        assertEquals("weft://head:6380", WeftMasterUrl.parse("weft://head:6380").clusterAddress());
        for (String bad : List.of("weft:oops", "weft://head", "weft://head:port", "weft://head:0", "weft://:1",
                "weft://head:6380/x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WeftMasterUrl.parse(bad));
            assertTrue(e.getMessage().startsWith("Spark master URL '" + bad + "' is not a Weft master URL"),
                    e.getMessage());
        }
    }

    @Test
    void anExecutorAsksForItsCoresAndItsHeapPlusSparksOverhead() {
        ExecutorShape small = ExecutorShape.from(new SparkConf(false).set("spark.executor.cores", "2"), 1024);
        assertEquals(2, small.cores());
        assertEquals(384, small.overheadMb(), "the minimum overhead");
        assertEquals(Map.of(Resources.CPU, 2.0, Resources.MEMORY, (1024.0 + 384) * MIB), small.resources(true));
        assertEquals(Map.of(Resources.CPU, 2.0), small.resources(false));

        assertEquals(819, ExecutorShape.from(new SparkConf(false), 8192).overheadMb(), "10 % of a large heap");
        assertEquals(100, ExecutorShape.from(new SparkConf(false).set("spark.executor.memoryOverhead", "100m"), 8192)
                .overheadMb(), "set explicitly");
        assertEquals(384 + 2048, ExecutorShape.from(new SparkConf(false).set("spark.memory.offHeap.enabled", "true")
                .set("spark.memory.offHeap.size", "2g"), 1024).overheadMb(), "off-heap memory counts too");
        assertThrows(IllegalArgumentException.class,
                () -> ExecutorShape.from(new SparkConf(false).set("spark.executor.cores", "0"), 1024));
    }

    @Test
    void anExecutorThatFitsNoNodeIsRefusedNamingTheNodes() {
        List<NodeInfo> nodes = List.of(
                new NodeInfo("a", true, Map.of(Resources.CPU, 4.0), Map.of(Resources.CPU, 0.0), 0, 0),
                new NodeInfo("b", false, Map.of(Resources.CPU, 16.0), Map.of(Resources.CPU, 16.0), 0, 0));
        ExecutorShape.checkFits(Map.of(Resources.CPU, 4.0), nodes); // fits node a's total, though it is busy now
        assertFalse(ExecutorShape.memoryAdvertised(nodes));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExecutorShape.checkFits(Map.of(Resources.CPU, 8.0), nodes));
        assertEquals("a Spark executor needs {CPU=8.0} (spark.executor.cores, spark.executor.memory plus overhead in "
                + "bytes) but no Weft node has that much; nodes: [a {CPU=4.0}]", e.getMessage());
    }

    @Test
    void theExecutorCommandLineIsShortAndItsArgumentFileQuotesEveryOption(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("app.jar"));
        ExecutorLaunch launch = new ExecutorLaunch("7", "app-1", "spark://CoarseGrainedScheduler@10.0.0.1:7077", 2,
                768, null, List.of("-Dspark.driver.port=7077", "-Dsay=\"hi\" C:\\temp"), List.of(jar.toString()),
                Map.of(), dir.toString());
        assertEquals(List.of("/jdk/bin/java", "-Xmx768m", "@" + dir.resolve("executor-7.jvmargs"),
                        ExecutorLaunch.MAIN_CLASS, "--driver-url", "spark://CoarseGrainedScheduler@10.0.0.1:7077",
                        "--executor-id", "7", "--hostname", "10.0.0.2", "--bind-address", "10.0.0.2", "--cores", "2",
                        "--app-id", "app-1", "--resourceProfileId", "0"),
                launch.command("/jdk/bin/java", "10.0.0.2"));
        assertEquals(List.of("\"-Dspark.driver.port=7077\"", "\"-Dsay=\\\"hi\\\" C:\\\\temp\"", "-cp",
                "\"" + jar + "\""), launch.argFileLines());
        assertEquals(dir.resolve("executor-7.log"), launch.logFile());

        ExecutorLaunch missing = new ExecutorLaunch("8", "app-1", "spark://x@h:1", 1, 512, "127.0.0.1", List.of(),
                List.of(dir.resolve("gone.jar").toString()), Map.of(), dir.toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, missing::argFileLines);
        assertTrue(e.getMessage().contains("class path entry " + dir.resolve("gone.jar") + " does not exist"),
                e.getMessage());
        assertEquals("127.0.0.1", missing.command("java", "10.0.0.2").get(9), "a configured host wins");
    }
}

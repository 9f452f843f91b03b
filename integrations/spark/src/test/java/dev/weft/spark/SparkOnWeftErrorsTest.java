package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a Spark application sees when Weft cannot give it executors: clear errors that name the thing at fault. */
@Timeout(180)
class SparkOnWeftErrorsTest {
    @AfterEach
    void noApplicationLeft() {
        SparkTests.stopLeftoverApplication();
        SparkTests.await("no executor JVM left", () -> SparkTests.executorProcesses().isEmpty());
    }

    @Test
    void aMalformedWeftMasterUrlIsRefusedNamingIt() {
        Throwable e = assertThrows(Exception.class, () -> SparkTests.session("weft://no-port").getOrCreate());
        assertTrue(messages(e).contains("Spark master URL 'weft://no-port' is not a Weft master URL"), messages(e));
    }

    @Test
    void anUnreachableWeftClusterIsReportedWithItsAddress() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String master = "weft://127.0.0.1:" + port;
        Throwable e = assertThrows(Exception.class, () -> SparkTests.session(master).getOrCreate());
        assertTrue(messages(e).contains("Spark master '" + master + "': cannot start or reach the Weft cluster at "
                + master), messages(e));
    }

    @Test
    void executorsLargerThanEveryWeftNodeAreRefusedNamingTheRequest() {
        try (Weft weft = Weft.init(WeftConfig.builder().addNode(Map.of(Resources.CPU, 2.0)).build())) {
            Throwable e = assertThrows(Exception.class, () -> SparkTests.session("weft")
                    .config("spark.executor.cores", 8).getOrCreate());
            assertTrue(messages(e).contains("a Spark executor needs {CPU=8.0}"), messages(e));
            assertTrue(messages(e).contains("no Weft node has that much"), messages(e));
            assertTrue(weft.nodes().getFirst().availableResources().get(Resources.CPU) == 2.0, "nothing held");
        }
    }

    @Test
    void executorsThatCannotStartEndTheApplicationAfterMaxNumFailures() throws Exception {
        try (Weft weft = Weft.init(WeftConfig.builder().addNode(Map.of(Resources.CPU, 2.0)).build())) {
            Path agent = SparkTests.EXECUTOR_LOGS.resolve("no-such-agent.jar");
            SparkSession.Builder builder = SparkTests.session("weft")
                    .config("spark.executor.instances", 1)
                    .config("spark.executor.maxNumFailures", 2)
                    .config("spark.executor.extraJavaOptions", "-javaagent:" + agent);
            Throwable e = assertThrows(Exception.class, builder::getOrCreate);
            assertTrue(messages(e).contains("executors failed (spark.executor.maxNumFailures = 2)"), messages(e));
            SparkTests.await("the executors' CPUs free",
                    () -> weft.nodes().getFirst().availableResources().get(Resources.CPU) == 2.0);
            try (Stream<Path> logs = Files.walk(SparkTests.EXECUTOR_LOGS)) {
                assertTrue(logs.filter(p -> p.getFileName().toString().endsWith(".log")).anyMatch(p -> read(p)
                        .contains("Error opening zip file or JAR manifest missing : " + agent)), "the JVM's error in a log");
            }
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

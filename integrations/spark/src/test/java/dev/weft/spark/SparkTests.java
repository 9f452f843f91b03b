package dev.weft.spark;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/** Shared pieces of this module's tests. */
final class SparkTests {
    private static final long PATIENCE_MILLIS = 120_000;
    /** Where the tests' executors write their logs (kept after the tests, for reading when one fails). */
    static final Path EXECUTOR_LOGS = Path.of("target", "executor-logs").toAbsolutePath();

    private SparkTests() {
    }

    /** A session builder on {@code master}: loopback only, no UI, 4 shuffle partitions, executor logs in target. */
    static SparkSession.Builder session(String master) {
        return SparkSession.builder().master(master).appName("weft-spark-test")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 4)
                .config("spark.weft.executor.logDir", EXECUTOR_LOGS.toString());
    }

    /** Fails when a test left a Spark application running (after stopping it, so that the next test can start one). */
    static void stopLeftoverApplication() {
        Option<SparkContext> active = SparkContext$.MODULE$.getActive();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        if (active.isDefined()) {
            active.get().stop();
            fail("a Spark application was left running: " + active.get().applicationId());
        }
    }

    /** Executors registered with the driver (the driver itself not counted). */
    static int registeredExecutors(SparkContext sc) {
        return sc.statusTracker().getExecutorInfos().length - 1;
    }

    /** This JVM's descendant processes that run a Spark executor for Weft. */
    static List<ProcessHandle> executorProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().arguments().map(a -> Arrays.asList(a).contains(ExecutorLaunch.MAIN_CLASS))
                        .orElse(false))
                .toList();
    }

    /** Waits until {@code condition} holds; fails naming {@code what} when it does not within a generous bound. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not reached within " + PATIENCE_MILLIS / 1000 + " s: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while waiting for: " + what);
            }
        }
    }
}

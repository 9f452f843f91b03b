package dev.weft.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;

/**
 * Spark on Weft: the Spark cluster manager for master URLs {@code weft} and {@code weft://host:port}, found by Spark
 * through {@code META-INF/services/org.apache.spark.scheduler.ExternalClusterManager}. Spark's executors run as Weft
 * actors, each holding the executor's cores and memory, each running Spark's executor in a JVM of its own; they are
 * released when the application stops or Spark kills them.
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().master("weft")
 *         .config("spark.executor.instances", 2).config("spark.executor.cores", 1)
 *         .config("spark.executor.memory", "1g").getOrCreate();
 * }</pre>
 *
 * Spark creates and calls it; applications only name the master URL. Stateless and thread-safe.
 */
public final class WeftClusterManager implements ExternalClusterManager {
    @Override
    public boolean canCreate(String masterURL) {
        return WeftMasterUrl.claims(masterURL);
    }

    @Override
    public TaskScheduler createTaskScheduler(SparkContext sc, String masterURL) {
        WeftMasterUrl.parse(masterURL);
        return new TaskSchedulerImpl(sc);
    }

    @Override
    public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterURL, TaskScheduler scheduler) {
        return new WeftSchedulerBackend(sc, (TaskSchedulerImpl) scheduler, WeftMasterUrl.parse(masterURL));
    }

    @Override
    public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
        ((TaskSchedulerImpl) scheduler).initialize(backend);
    }
}

package dev.weft.spark;

import dev.weft.api.NodeInfo;
import dev.weft.api.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;

/**
 * What one Spark executor asks of Weft: its cores ({@code spark.executor.cores}, default 1) as the actor's CPUs,
 * and its heap ({@code spark.executor.memory}) plus Spark's memory overhead as the actor's {@code memory} resource,
 * in bytes, like YARN and Kubernetes containers. Weft nodes advertise {@code memory} only when started with it; on a
 * cluster whose nodes advertise none, the executor asks for CPUs alone and the heap is still capped by {@code -Xmx}.
 *
 * @param cores      task slots and CPUs
 * @param heapMb     the executor JVM's {@code -Xmx}, MiB
 * @param overheadMb memory beyond the heap (native, metaspace, off-heap), MiB
 */
record ExecutorShape(int cores, long heapMb, long overheadMb) {
    private static final long MIB = 1024L * 1024L;

    ExecutorShape {
        if (cores < 1) {
            throw new IllegalArgumentException("spark.executor.cores must be >= 1, got " + cores);
        }
        if (heapMb < 1) {
            throw new IllegalArgumentException("spark.executor.memory must be >= 1m, got " + heapMb + " MiB");
        }
    }

    /** Reads the shape from Spark's configuration; {@code heapMb} is {@code SparkContext.executorMemory()}. */
    static ExecutorShape from(SparkConf conf, int heapMb) {
        int cores = conf.getInt("spark.executor.cores", 1);
        long overhead;
        if (conf.contains("spark.executor.memoryOverhead")) {
            overhead = conf.getSizeAsMb("spark.executor.memoryOverhead", "0");
        } else {
            double factor = conf.getDouble("spark.executor.memoryOverheadFactor", 0.10);
            long min = conf.getSizeAsMb("spark.executor.minMemoryOverhead", "384m");
            overhead = Math.max(min, (long) (factor * heapMb));
        }
        if (conf.getBoolean("spark.memory.offHeap.enabled", false)) {
            overhead += conf.getSizeAsMb("spark.memory.offHeap.size", "0");
        }
        return new ExecutorShape(cores, heapMb, overhead);
    }

    long memoryBytes() {
        return (heapMb + overheadMb) * MIB;
    }

    /** The actor's resources: CPUs, and memory when {@code withMemory}. */
    Map<String, Double> resources(boolean withMemory) {
        Map<String, Double> r = new LinkedHashMap<>();
        r.put(Resources.CPU, (double) cores);
        if (withMemory) {
            r.put(Resources.MEMORY, (double) memoryBytes());
        }
        return r;
    }

    /** Whether any live node advertises a {@code memory} resource. */
    static boolean memoryAdvertised(List<NodeInfo> nodes) {
        return nodes.stream().anyMatch(n -> n.alive() && n.totalResources().getOrDefault(Resources.MEMORY, 0.0) > 0);
    }

    /** Fails naming the request and the nodes when no live node could ever hold one executor. */
    static void checkFits(Map<String, Double> request, List<NodeInfo> nodes) {
        boolean fits = nodes.stream().filter(NodeInfo::alive).anyMatch(n -> request.entrySet().stream()
                .allMatch(e -> n.totalResources().getOrDefault(e.getKey(), 0.0) >= e.getValue()));
        if (!fits) {
            throw new IllegalArgumentException("a Spark executor needs " + request + " (spark.executor.cores, "
                    + "spark.executor.memory plus overhead in bytes) but no Weft node has that much; nodes: "
                    + nodes.stream().filter(NodeInfo::alive).map(n -> n.nodeId() + " " + n.totalResources()).toList());
        }
    }
}

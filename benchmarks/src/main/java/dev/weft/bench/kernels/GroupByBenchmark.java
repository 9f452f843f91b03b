package dev.weft.bench.kernels;

import dev.weft.data.internal.kernels.Aggregate;
import dev.weft.data.internal.kernels.HashAggregator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Group-by of N rows (int64 key, float64 value) into G groups computing count, sum and mean: the vectorised
 * {@link HashAggregator} over Arrow batches against a plain single-threaded {@code HashMap<Long, double[]>}
 * aggregation over heap arrays of the same rows, in the same run. Both produce every group's three values.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
@Fork(value = 1, jvmArgsAppend = {"-Xmx5g", "-Xms5g"})
public class GroupByBenchmark {
  @Param({"20000000"})
  int rows;

  @Param({"1000000"})
  int groups;

  private BufferAllocator allocator;
  private KernelData data;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    data = new KernelData(allocator, rows, groups, 1 << 20, false, 42);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    data.close();
    allocator.close();
  }

  @Benchmark
  public long weftHashAggregator() {
    HashAggregator agg = new HashAggregator(data.batches.getFirst().getSchema(), List.of("k"),
        List.of(Aggregate.count(), Aggregate.sum("x"), Aggregate.mean("x")), 1024);
    for (VectorSchemaRoot b : data.batches) {
      agg.add(b);
    }
    try (VectorSchemaRoot out = agg.result(allocator)) {
      return out.getRowCount();
    }
  }

  /** The map-side shape: a partial aggregate per batch (combiner), then a reducer merging every partial. */
  @Benchmark
  public long weftPartialThenMerge() {
    List<Aggregate> aggs = List.of(Aggregate.count(), Aggregate.sum("x"), Aggregate.mean("x"));
    HashAggregator reducer = new HashAggregator(data.batches.getFirst().getSchema(), List.of("k"), aggs, 1024);
    for (VectorSchemaRoot b : data.batches) {
      HashAggregator mapper = new HashAggregator(b.getSchema(), List.of("k"), aggs, 1024);
      mapper.add(b);
      try (VectorSchemaRoot partial = mapper.partialResult(allocator)) {
        reducer.merge(partial);
      }
    }
    try (VectorSchemaRoot out = reducer.result(allocator)) {
      return out.getRowCount();
    }
  }

  @Benchmark
  public long plainJavaHashMap() {
    long[] keys = data.keys;
    double[] values = data.values;
    Map<Long, double[]> map = new HashMap<>();
    for (int i = 0; i < keys.length; i++) {
      double[] s = map.computeIfAbsent(keys[i], k -> new double[2]);
      s[0]++;
      s[1] += values[i];
    }
    long[] outKeys = new long[map.size()];
    long[] outCount = new long[map.size()];
    double[] outSum = new double[map.size()];
    double[] outMean = new double[map.size()];
    int g = 0;
    for (Map.Entry<Long, double[]> e : map.entrySet()) {
      outKeys[g] = e.getKey();
      outCount[g] = (long) e.getValue()[0];
      outSum[g] = e.getValue()[1];
      outMean[g] = e.getValue()[1] / e.getValue()[0];
      g++;
    }
    return g + outKeys[0] + outCount[0] + (long) outSum[0] + (long) outMean[0];
  }
}

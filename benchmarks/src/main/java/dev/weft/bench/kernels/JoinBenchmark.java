package dev.weft.bench.kernels;

import dev.weft.data.internal.kernels.HashJoin;
import dev.weft.data.internal.kernels.JoinSpec;
import dev.weft.data.internal.kernels.JoinType;
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
 * Inner hash join build + probe: a build side of B rows, int64 keys uniform in [0, 2B) with a float64 payload, joined with a probe
 * side of 4 M rows whose keys fall in [0, 2B), so about half the probe rows match. The kernel builds a
 * {@link HashJoin} and probes 1 M-row batches, producing Arrow output (key, both payloads); the baseline builds a
 * {@code HashMap<Long, Integer>} over heap arrays and writes the same three output columns into heap arrays.
 * B = 10,000 is the broadcast shape (W5), B = 1,000,000 the shuffled shape.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 4, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class JoinBenchmark {
  @Param({"10000", "1000000"})
  int buildRows;

  private BufferAllocator allocator;
  private KernelData build;
  private KernelData probe;

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    build = new KernelData(allocator, buildRows, 2L * buildRows, buildRows, false, 11);
    probe = new KernelData(allocator, 4_000_000, 2L * buildRows, 1 << 20, false, 12);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    build.close();
    probe.close();
    allocator.close();
  }

  @Benchmark
  public long weftHashJoin() {
    JoinSpec spec = new JoinSpec(JoinType.INNER, List.of("k"), List.of("k"), false, "_r");
    long rows = 0;
    try (HashJoin join = new HashJoin(spec, probe.batches.getFirst().getSchema(),
        build.batches.getFirst().getSchema(), build.batches, 1 << 20, allocator)) {
      for (VectorSchemaRoot p : probe.batches) {
        for (VectorSchemaRoot out : join.probe(p, allocator)) {
          rows += out.getRowCount();
          out.close();
        }
      }
    }
    return rows;
  }

  @Benchmark
  public long plainJavaHashMap() {
    long[] bk = build.keys;
    double[] bx = build.values;
    Map<Long, int[]> table = new HashMap<>();
    int[] next = new int[bk.length];
    for (int i = bk.length - 1; i >= 0; i--) {
      int[] head = table.computeIfAbsent(bk[i], k -> new int[] {-1});
      next[i] = head[0];
      head[0] = i;
    }
    long[] pk = probe.keys;
    double[] px = probe.values;
    int chunk = 1 << 20;
    long[] outK = new long[chunk];
    double[] outL = new double[chunk];
    double[] outR = new double[chunk];
    long rows = 0;
    int filled = 0;
    for (int i = 0; i < pk.length; i++) {
      int[] head = table.get(pk[i]);
      if (head == null) {
        continue;
      }
      for (int r = head[0]; r >= 0; r = next[r]) {
        if (filled == chunk) {
          rows += filled;
          filled = 0;
        }
        outK[filled] = pk[i];
        outL[filled] = px[i];
        outR[filled++] = bx[r];
      }
    }
    return rows + filled + (long) outL[0] + (long) outR[0] + outK[0];
  }
}

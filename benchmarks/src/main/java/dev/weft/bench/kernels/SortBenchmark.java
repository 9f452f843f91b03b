package dev.weft.bench.kernels;

import dev.weft.data.internal.kernels.SortKey;
import dev.weft.data.internal.kernels.SortExchange;
import dev.weft.data.internal.kernels.Sorter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * Sorting one batch of N rows (int64 key, float64 payload, 16-letter utf8): the kernels sort and gather every
 * column; the baselines sort heap copies of the key alone ({@code Arrays.sort} of a {@code long[]}, of a
 * {@code String[]}) — a lower bound that moves no payload. Plus a sort reducer over four unsorted quarter batches
 * (the pieces a range-partitioned sort sends one reducer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 4, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class SortBenchmark {
  @Param({"1000000"})
  int rows;

  private BufferAllocator allocator;
  private KernelData data;
  private VectorSchemaRoot batch;
  private final List<VectorSchemaRoot> runs = new ArrayList<>();

  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    data = new KernelData(allocator, rows, Long.MAX_VALUE, rows, true, 7);
    batch = data.batches.getFirst();
    try (KernelDataQuarter q = new KernelDataQuarter(allocator, rows)) {
      for (VectorSchemaRoot b : q.data.batches) {
        runs.add(Sorter.sort(b, List.of(SortKey.asc("x")), allocator)); // a copy, not in k order
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runs.forEach(VectorSchemaRoot::close);
    data.close();
    allocator.close();
  }

  @Benchmark
  public int weftSortInt64Key() {
    try (VectorSchemaRoot out = Sorter.sort(batch, List.of(SortKey.asc("k")), allocator)) {
      return out.getRowCount();
    }
  }

  @Benchmark
  public int weftSortUtf8Key() {
    try (VectorSchemaRoot out = Sorter.sort(batch, List.of(SortKey.asc("s")), allocator)) {
      return out.getRowCount();
    }
  }

  @Benchmark
  public int weftReduce4Pieces() {
    List<VectorSchemaRoot> out = SortExchange.reduce(runs, List.of(SortKey.asc("k")), 1 << 18, allocator);
    int n = 0;
    for (VectorSchemaRoot o : out) {
      n += o.getRowCount();
      o.close();
    }
    return n;
  }

  @Benchmark
  public long plainArraysSortLongKeysOnly() {
    long[] copy = data.keys.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  @Benchmark
  public String plainArraysSortStringKeysOnly() {
    String[] copy = data.strings.clone();
    Arrays.sort(copy);
    return copy[copy.length / 2];
  }

  /** Four batches of a quarter of the rows each, for the merge. */
  private static final class KernelDataQuarter implements AutoCloseable {
    final KernelData data;

    KernelDataQuarter(BufferAllocator allocator, int rows) {
      data = new KernelData(allocator, rows, Long.MAX_VALUE, rows / 4, false, 8);
    }

    @Override
    public void close() {
      data.close();
    }
  }
}

package dev.weft.bench.kernels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Kernel-versus-baseline ratios measured the way BENCHMARKS.md asks for macro workloads on a shared machine: one
 * warm-up pair, then timed pairs alternating kernel and baseline (A B A B ...), reporting each side's median and
 * the median of the per-pair ratios. JMH (the {@code *Benchmark} classes) runs each benchmark in its own fork one
 * after another, so on a loaded machine load drift lands in the ratio; alternating within one JVM cancels most of it.
 *
 * <p>Usage: {@code KernelRatios [pairs] [json-output] [groupby,sort,join]}; the same JVM flags as the JMH forks.
 */
public final class KernelRatios {
  private record Result(String shape, String kernel, String baseline, double kernelMs, double baselineMs,
      double ratio) {}

  private KernelRatios() {}

  public static void main(String[] args) throws IOException {
    int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<Result> results = new ArrayList<>();
    String only = args.length > 2 ? args[2] : "groupby,sort,join";

    if (only.contains("groupby")) {
      GroupByBenchmark g = new GroupByBenchmark();
    g.rows = 20_000_000;
    g.groups = 1_000_000;
    g.setUp();
    results.add(pair("group-by 20M rows into 1M groups (count, sum, mean)", "weftHashAggregator",
        g::weftHashAggregator, "plainJavaHashMap", g::plainJavaHashMap, pairs));
    g.tearDown();
    }

    if (only.contains("sort")) {
    SortBenchmark s = new SortBenchmark();
    s.rows = 1_000_000;
    s.setUp();
    results.add(pair("sort 1M rows by int64 (all columns gathered)", "weftSortInt64Key", s::weftSortInt64Key,
        "Arrays.sort(long[]) keys only", s::plainArraysSortLongKeysOnly, pairs));
    results.add(pair("sort 1M rows by utf8(16) (all columns gathered)", "weftSortUtf8Key", s::weftSortUtf8Key,
        "Arrays.sort(String[]) keys only", () -> s.plainArraysSortStringKeysOnly().length(), pairs));
    results.add(pair("sort reducer over 4 unsorted pieces of 250k rows", "weftReduce4Pieces", s::weftReduce4Pieces,
        "Arrays.sort(long[]) of 1M keys", s::plainArraysSortLongKeysOnly, pairs));
    s.tearDown();
    }

    for (int build : only.contains("join") ? new int[] {10_000, 1_000_000} : new int[0]) {
      JoinBenchmark j = new JoinBenchmark();
      j.buildRows = build;
      j.setUp();
      results.add(pair("inner join, build " + build + " rows, probe 4M rows", "weftHashJoin", j::weftHashJoin,
          "plainJavaHashMap", j::plainJavaHashMap, pairs));
      j.tearDown();
    }

    String machine = String.format(Locale.ROOT, "{\"cores\": %d, \"maxHeapBytes\": %d, \"jdk\": \"%s\", \"load\": %.2f}",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory(), System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    StringBuilder json = new StringBuilder("{\n  \"machine\": " + machine + ",\n  \"pairs\": " + pairs
        + ",\n  \"results\": [\n");
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      json.append(String.format(Locale.ROOT,
          "    {\"shape\": \"%s\", \"kernel\": \"%s\", \"baseline\": \"%s\", \"kernelMedianMs\": %.1f,"
              + " \"baselineMedianMs\": %.1f, \"medianPairRatio\": %.3f}%s%n",
          r.shape(), r.kernel(), r.baseline(), r.kernelMs(), r.baselineMs(), r.ratio(),
          i + 1 < results.size() ? "," : ""));
    }
    json.append("  ]\n}\n");
    System.out.print(json);
    if (args.length > 1) {
      Files.writeString(Path.of(args[1]), json);
    }
  }

  private static Result pair(String shape, String kernelName, LongSupplier kernel, String baselineName,
      LongSupplier baseline, int pairs) {
    time(kernel);
    time(baseline);
    double[] k = new double[pairs];
    double[] b = new double[pairs];
    double[] ratio = new double[pairs];
    for (int p = 0; p < pairs; p++) {
      k[p] = time(kernel);
      b[p] = time(baseline);
      ratio[p] = k[p] / b[p];
      System.err.printf(Locale.ROOT, "%s: pair %d kernel %.1f ms baseline %.1f ms ratio %.3f%n", shape, p, k[p], b[p],
          ratio[p]);
    }
    return new Result(shape, kernelName, baselineName, median(k), median(b), median(ratio));
  }

  private static double time(LongSupplier op) {
    long t = System.nanoTime();
    long sink = op.getAsLong();
    double ms = (System.nanoTime() - t) / 1e6;
    if (sink == Long.MIN_VALUE) {
      System.err.println("unreachable");
    }
    return ms;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}

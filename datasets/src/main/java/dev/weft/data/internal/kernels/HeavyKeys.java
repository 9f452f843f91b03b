package dev.weft.data.internal.kernels;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Skew handling: finds the keys whose share of a sample is at least a threshold fraction, then partitions so that
 * those keys do not all land on one reducer. The streamed (large) side spreads each heavy key's rows at random over
 * {@code fanout} consecutive reducers starting at the key's hash reducer ({@link #spreadPartitionIds}); the other
 * side of a join sends each heavy key's rows to all of those reducers ({@link #replicatePartition}), so every
 * match is still found exactly once. Rows of other keys go to their hash reducer as usual. Rows with a null key are
 * never heavy. Read-only after {@link #detect}, so safe to share between threads.
 */
public final class HeavyKeys {
  private final GroupTable table;
  private final int[] heavyIndex;
  private final long[] counts;
  private final long sampleRows;
  private final int heavyCount;

  private HeavyKeys(GroupTable table, int[] heavyIndex, long[] counts, long sampleRows, int heavyCount) {
    this.table = table;
    this.heavyIndex = heavyIndex;
    this.counts = counts;
    this.sampleRows = sampleRows;
    this.heavyCount = heavyCount;
  }

  /** The keys whose frequency in {@code sample} is at least {@code fraction} (in (0, 1]). */
  public static HeavyKeys detect(VectorSchemaRoot sample, List<String> keys, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("heavy-key fraction must be in (0, 1], got " + fraction);
    }
    List<KeyColumn> cols = KeyColumns.of(sample, keys);
    List<Field> fields = cols.stream().map(c -> c.field).toList();
    int n = sample.getRowCount();
    GroupTable table = GroupTable.create(fields, Math.max(16, n / 4));
    int[] groups = table.assign(cols, n);
    long[] counts = new long[table.size()];
    for (int i = 0; i < n; i++) {
      if (!GroupTable.anyNull(cols, i)) {
        counts[groups[i]]++;
      }
    }
    int[] heavy = new int[table.size()];
    long[] heavyCounts = new long[table.size()];
    int h = 0;
    double threshold = fraction * n;
    for (int g = 0; g < counts.length; g++) {
      if (counts[g] > 0 && counts[g] >= threshold) {
        heavyCounts[h] = counts[g];
        heavy[g] = h++;
      } else {
        heavy[g] = -1;
      }
    }
    return new HeavyKeys(table, heavy, heavyCounts, n, h);
  }

  /**
   * The key columns of {@code count} rows of {@code block} drawn at random (with replacement; seeded by
   * {@code seed}, e.g. the block's index):
   * what a sampling task sends to the driver, which pools the samples and {@link #detect}s heavy keys.
   */
  public static VectorSchemaRoot sampleKeys(
      VectorSchemaRoot block, List<String> keys, int count, long seed, BufferAllocator allocator) {
    SplittableRandom rng = new SplittableRandom(0x5eedL ^ KeyHash.mix(seed));
    int n = block.getRowCount();
    int take = n == 0 ? 0 : Math.min(count, n);
    int[] rows = new int[take];
    for (int i = 0; i < take; i++) {
      rows[i] = take == n ? i : rng.nextInt(n);
    }
    List<org.apache.arrow.vector.FieldVector> cols = new ArrayList<>();
    for (String k : keys) {
      cols.add(block.getVector(k));
    }
    VectorSchemaRoot keyView = new VectorSchemaRoot(cols.stream().map(v -> v.getField()).toList(), cols, n);
    // keyView shares the block's vectors; gather copies, and keyView itself must not close them.
    return ColumnGather.gather(keyView, rows, 0, take, allocator);
  }

  /**
   * One row per heavy key (the sample's columns), in a batch the caller owns: ship it to map tasks, which
   * {@link #detect} it again with any fraction at most {@code 1 / rows} to get the same heavy keys.
   */
  public VectorSchemaRoot heavyRows(VectorSchemaRoot sample, List<String> keys, BufferAllocator allocator) {
    int[] heavy = lookup(sample, keys);
    int[] firstRow = new int[heavyCount];
    java.util.Arrays.fill(firstRow, -1);
    int found = 0;
    for (int i = 0; i < heavy.length && found < heavyCount; i++) {
      if (heavy[i] >= 0 && firstRow[heavy[i]] < 0) {
        firstRow[heavy[i]] = i;
        found++;
      }
    }
    return ColumnGather.gather(sample, firstRow, 0, heavyCount, allocator);
  }

  /** Number of heavy keys found. */
  public int size() {
    return heavyCount;
  }

  /** Share of the sample held by heavy key {@code h}. */
  public double fraction(int h) {
    return sampleRows == 0 ? 0 : (double) counts[h] / sampleRows;
  }

  /** The heavy key (index in {@code [0, size())}) of each row of {@code batch}, or -1 for other keys. */
  public int[] lookup(VectorSchemaRoot batch, List<String> keys) {
    int[] g = table.lookup(KeyColumns.of(batch, keys), batch.getRowCount());
    for (int i = 0; i < g.length; i++) {
      g[i] = g[i] < 0 ? -1 : heavyIndex[g[i]];
    }
    return g;
  }

  /** Hash partition ids, except that rows of heavy keys are spread at random over {@code fanout} reducers. */
  public int[] spreadPartitionIds(
      VectorSchemaRoot batch, List<String> keys, int n, int fanout, SplittableRandom rng) {
    checkFanout(n, fanout);
    int[] ids = Partitioner.hashPartitionIds(batch, keys, n);
    int[] heavy = lookup(batch, keys);
    for (int i = 0; i < ids.length; i++) {
      if (heavy[i] >= 0) {
        ids[i] = (ids[i] + rng.nextInt(fanout)) % n;
      }
    }
    return ids;
  }

  /** Splits {@code batch} into {@code n} batches by key hash, copying heavy keys' rows to all their reducers. */
  public List<VectorSchemaRoot> replicatePartition(
      VectorSchemaRoot batch, List<String> keys, int n, int fanout, BufferAllocator allocator) {
    checkFanout(n, fanout);
    int[] ids = Partitioner.hashPartitionIds(batch, keys, n);
    int[] heavy = lookup(batch, keys);
    int rows = batch.getRowCount();
    int[] counts = new int[n];
    for (int i = 0; i < rows; i++) {
      if (heavy[i] >= 0) {
        for (int f = 0; f < fanout; f++) {
          counts[(ids[i] + f) % n]++;
        }
      } else {
        counts[ids[i]]++;
      }
    }
    int[][] lists = new int[n][];
    for (int p = 0; p < n; p++) {
      lists[p] = new int[counts[p]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < rows; i++) {
      if (heavy[i] >= 0) {
        for (int f = 0; f < fanout; f++) {
          int p = (ids[i] + f) % n;
          lists[p][fill[p]++] = i;
        }
      } else {
        lists[ids[i]][fill[ids[i]]++] = i;
      }
    }
    List<VectorSchemaRoot> out = new ArrayList<>(n);
    try {
      for (int p = 0; p < n; p++) {
        out.add(ColumnGather.gather(batch, lists[p], 0, lists[p].length, allocator));
      }
    } catch (RuntimeException e) {
      out.forEach(VectorSchemaRoot::close);
      throw e;
    }
    return out;
  }

  private static void checkFanout(int n, int fanout) {
    Partitioner.checkPartitions(n);
    if (fanout < 1 || fanout > n) {
      throw new IllegalArgumentException("fanout must be in [1, " + n + "], got " + fanout);
    }
  }
}

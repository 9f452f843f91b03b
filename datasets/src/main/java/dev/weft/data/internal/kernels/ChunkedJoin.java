package dev.weft.data.internal.kernels;

import dev.weft.data.internal.arrow.Batches;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One reducer partition of a shuffled hash join whose build side need not fit one hash table. Build batches are
 * opened in order and gathered into chunks of at most {@code chunkBytes} (a batch larger than that is a chunk of its
 * own); each chunk becomes a {@link HashJoin} that every probe batch passes through, so a task holds one chunk's
 * table and one probe batch at a time, whatever the size of its partition. When the whole build side is one chunk
 * (the common case) this is exactly a {@link HashJoin} probed once with each batch.
 *
 * <p>With several chunks the join type is split in two. The build side's share (unmatched build rows of an outer
 * join, semi/anti rows returned from the build side) is final per chunk, since each chunk meets every probe row. The
 * probe side's share cannot be decided by one chunk: a flag per probe row records whether any chunk matched it, and
 * after the last chunk the unmatched probe rows of an outer join come out with nulls for the build side, and a
 * semi/anti join on the probe side returns its matched/unmatched probe rows. Output order: chunk by chunk, each in
 * probe order; then the probe side's remainder in probe order.
 */
public final class ChunkedJoin {
  private ChunkedJoin() {
  }

  /** Batches opened on demand; the caller of {@link #open} closes what it returns. */
  public interface Input {
    int size();

    VectorSchemaRoot open(int index) throws Exception;
  }

  /**
   * Joins {@code build} with {@code probe} ({@code spec.buildLeft()} says which side {@code build} is), giving each
   * output batch to {@code out}, which takes ownership. Each build batch is opened once; each probe batch once per
   * chunk.
   *
   * @return the number of chunks the build side was joined in
   */
  public static int run(JoinSpec spec, Schema left, Schema right, Input build, Input probe, long chunkBytes,
      int maxRows, BufferAllocator allocator, Consumer<VectorSchemaRoot> out) throws Exception {
    if (chunkBytes <= 0) {
      throw new IllegalArgumentException("chunkBytes must be positive, got " + chunkBytes);
    }
    JoinType t = spec.type();
    boolean probeLeft = !spec.buildLeft();
    boolean probeOuter = probeLeft ? t.keepsUnmatchedLeft() : t.keepsUnmatchedRight();
    boolean probeSemiAnti = t.isSemiOrAnti() && t.returnsLeft() == probeLeft;
    boolean[][] matched = null;
    int chunks = 0;
    int next = 0;
    VectorSchemaRoot carried = null;
    try {
      do {
        List<VectorSchemaRoot> chunk = new ArrayList<>();
        try {
          long bytes = 0;
          if (carried != null) {
            chunk.add(carried);
            bytes = Batches.sizeBytes(carried);
            carried = null;
          }
          while (next < build.size()) {
            VectorSchemaRoot b = build.open(next++);
            long size = Batches.sizeBytes(b);
            if (!chunk.isEmpty() && bytes + size > chunkBytes) {
              carried = b;
              break;
            }
            chunk.add(b);
            bytes += size;
          }
          boolean only = chunks == 0 && carried == null;
          chunks++;
          if (only) {
            // One chunk: the plain join, nothing to carry between chunks.
            joinChunk(spec, left, right, chunk, probe, null, maxRows, allocator, out);
            return chunks;
          }
          if (matched == null && (probeOuter || probeSemiAnti)) {
            matched = new boolean[probe.size()][];
          }
          JoinSpec chunkSpec = probeOuter ? spec.withType(withoutProbeOuter(t, probeLeft)) : spec;
          joinChunk(chunkSpec, left, right, chunk, probe, matched, maxRows, allocator, out);
        } finally {
          chunk.forEach(VectorSchemaRoot::close);
        }
      } while (carried != null || next < build.size());
    } finally {
      if (carried != null) {
        carried.close();
      }
    }
    if (probeOuter || probeSemiAnti) {
      probeRemainder(spec, left, right, probe, matched, probeOuter, t.isAnti(), probeLeft, maxRows, allocator, out);
    }
    return chunks;
  }

  /**
   * One chunk against every probe batch. With {@code matched}, probe matches are recorded; a semi/anti join on the
   * probe side then outputs nothing here (its rows come from {@link #probeRemainder}).
   */
  private static void joinChunk(JoinSpec spec, Schema left, Schema right, List<VectorSchemaRoot> chunk, Input probe,
      boolean[][] matched, int maxRows, BufferAllocator allocator, Consumer<VectorSchemaRoot> out) throws Exception {
    JoinType t = spec.type();
    boolean probeSemiAnti = t.isSemiOrAnti() && t.returnsLeft() == !spec.buildLeft();
    try (HashJoin join = new HashJoin(spec, left, right, chunk, maxRows, allocator)) {
      for (int i = 0; i < probe.size(); i++) {
        try (VectorSchemaRoot batch = probe.open(i)) {
          boolean[] flags = null;
          if (matched != null) {
            if (matched[i] == null) {
              matched[i] = new boolean[batch.getRowCount()];
            }
            flags = matched[i];
          }
          if (flags != null && probeSemiAnti) {
            join.markMatches(batch, flags);
          } else {
            emit(join.probe(batch, allocator, flags), out);
          }
        }
      }
      emit(join.finish(allocator), out);
    }
  }

  /** After the last chunk: the probe rows an outer or semi/anti join keeps, decided by the flags of every chunk. */
  private static void probeRemainder(JoinSpec spec, Schema left, Schema right, Input probe, boolean[][] matched,
      boolean outer, boolean anti, boolean probeLeft, int maxRows, BufferAllocator allocator,
      Consumer<VectorSchemaRoot> out) throws Exception {
    // An outer join over an empty build side gives every row it is probed with, padded with nulls.
    JoinSpec pad = spec.withType(probeLeft ? JoinType.LEFT_OUTER : JoinType.RIGHT_OUTER);
    try (HashJoin nulls = outer ? new HashJoin(pad, left, right, List.of(), maxRows, allocator) : null) {
      for (int i = 0; i < probe.size(); i++) {
        try (VectorSchemaRoot batch = probe.open(i)) {
          boolean[] flags = matched[i] == null ? new boolean[batch.getRowCount()] : matched[i];
          int[] rows = new int[batch.getRowCount()];
          int m = 0;
          for (int r = 0; r < rows.length; r++) {
            // outer and anti keep the unmatched rows, semi the matched ones
            if (flags[r] == (!outer && !anti)) {
              rows[m++] = r;
            }
          }
          for (int from = 0; from < m; from += maxRows) {
            VectorSchemaRoot kept = ColumnGather.gather(batch, rows, from, Math.min(maxRows, m - from), allocator);
            if (!outer) {
              out.accept(kept);
              continue;
            }
            try (kept) {
              emit(nulls.probe(kept, allocator), out);
            }
          }
        }
      }
    }
  }

  /** Hands {@code batches} to {@code out} one by one; if that fails, closes the ones not handed over. */
  private static void emit(List<VectorSchemaRoot> batches, Consumer<VectorSchemaRoot> out) {
    for (int i = 0; i < batches.size(); i++) {
      try {
        out.accept(batches.get(i));
      } catch (RuntimeException | Error e) {
        for (int k = i + 1; k < batches.size(); k++) {
          batches.get(k).close();
        }
        throw e;
      }
    }
  }

  /** The type a chunk runs as when the probe side's unmatched rows are left for {@link #probeRemainder}. */
  private static JoinType withoutProbeOuter(JoinType t, boolean probeLeft) {
    return switch (t) {
      case LEFT_OUTER -> probeLeft ? JoinType.INNER : t;
      case RIGHT_OUTER -> probeLeft ? t : JoinType.INNER;
      case FULL_OUTER -> probeLeft ? JoinType.RIGHT_OUTER : JoinType.LEFT_OUTER;
      default -> t;
    };
  }
}

package dev.weft.data.internal.kernels;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Empty batches shaped like a given one. */
final class TestBatchesEmpty {
  private TestBatchesEmpty() {}

  static VectorSchemaRoot of(VectorSchemaRoot like, BufferAllocator allocator) {
    return ColumnGather.gather(like, new int[0], 0, 0, allocator);
  }
}

package dev.weft.data.internal.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GroupedRowsTest {
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    assertEquals(0, allocator.getAllocatedMemory(), "allocator must end at zero");
    allocator.close();
  }

  @Test
  void groupsRowsInFirstAppearanceOrderKeepingInputOrderInsideEachGroup() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 2000, 30, 80)) {
      Map<List<Object>, List<List<Object>>> expected = new LinkedHashMap<>();
      for (List<Object> row : TestBatches.rows(in)) {
        expected.computeIfAbsent(List.of(String.valueOf(row.get(3)), String.valueOf(row.get(5))),
            k -> new ArrayList<>()).add(row);
      }
      GroupedRows grouped = GroupedRows.of(in, List.of("s", "flag"));
      assertEquals(expected.size(), grouped.groupCount());
      List<List<List<Object>>> groups = new ArrayList<>(expected.values());
      for (int g = 0; g < grouped.groupCount(); g++) {
        try (VectorSchemaRoot group = grouped.gatherGroup(in, g, allocator)) {
          assertEquals(groups.get(g), TestBatches.rows(group), "group " + g);
        }
      }
      try (VectorSchemaRoot all = grouped.gatherAll(in, allocator)) {
        List<List<Object>> flat = new ArrayList<>();
        groups.forEach(flat::addAll);
        assertEquals(flat, TestBatches.rows(all));
      }
    }
  }

  @Test
  void anAggregatorWithoutAggregatesGivesTheDistinctKeys() {
    try (VectorSchemaRoot in = TestBatches.random(allocator, 2000, 30, 81)) {
      HashAggregator unique = new HashAggregator(in.getSchema(), List.of("k32"), List.of(), 16);
      unique.add(in);
      try (VectorSchemaRoot out = unique.result(allocator)) {
        List<Object> expected = TestBatches.rows(in).stream().map(r -> r.get(1)).distinct().toList();
        assertEquals(expected, TestBatches.rows(out).stream().map(r -> r.getFirst()).toList());
      }
    }
  }
}

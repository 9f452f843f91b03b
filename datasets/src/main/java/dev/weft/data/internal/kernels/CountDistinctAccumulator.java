package dev.weft.data.internal.kernels;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Exact {@code countDistinct}: values are interned to dense ids by a {@link GroupTable} (so any key type works and
 * nothing is approximated), and (group, value id) pairs live in one primitive set. The partial state is a list
 * column holding each group's distinct values, which a reducer folds into its own dictionary.
 */
final class CountDistinctAccumulator extends Accumulator {
  private final Field column;
  private final GroupTable dictionary;
  private final LongHashSet pairs = new LongHashSet(1024);
  private long[] distinct = new long[16];

  CountDistinctAccumulator(Aggregate spec, Field column) {
    super(spec);
    this.column = column;
    this.dictionary = GroupTable.create(List.of(valueField()), 1024);
  }

  private Field valueField() {
    return new Field("value", FieldType.nullable(column.getType()), null);
  }

  @Override
  void ensureGroups(int groups) {
    if (groups > distinct.length) {
      distinct = Arrays.copyOf(distinct, Math.max(groups, distinct.length * 2));
    }
  }

  @Override
  void update(int[] groups, int n, BatchColumns batch) {
    KeyColumn c = batch.view(column.getName(), spec);
    int[] ids = dictionary.assign(List.of(c), n);
    for (int i = 0; i < n; i++) {
      if (!c.isNull(i)) {
        add(groups[i], ids[i]);
      }
    }
  }

  private void add(int group, int valueId) {
    if (pairs.add(((long) group << 32) | valueId)) {
      distinct[group]++;
    }
  }

  @Override
  void merge(int[] groups, int n, BatchColumns partial) {
    ListVector list = (ListVector) partial.vector(stateName("distinct"), spec);
    FieldVector child = list.getDataVector();
    KeyColumn values = KeyColumn.of(child);
    int[] ids = dictionary.assign(List.of(values), values.size);
    for (int r = 0; r < n; r++) {
      if (list.isNull(r)) {
        continue;
      }
      int from = list.getElementStartIndex(r);
      int to = list.getElementEndIndex(r);
      for (int e = from; e < to; e++) {
        if (!values.isNull(e)) {
          add(groups[r], ids[e]);
        }
      }
    }
  }

  private Field listField(String name) {
    Field element = new Field(ListVector.DATA_VECTOR_NAME, FieldType.nullable(column.getType()), null);
    return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(element));
  }

  @Override
  List<Field> partialFields() {
    return List.of(listField(stateName("distinct")));
  }

  @Override
  List<FieldVector> partial(int groups, BufferAllocator allocator) {
    // Counting sort of the (group, value) pairs by group gives each group's values contiguously.
    long[] all = pairs.toArray();
    int[] starts = new int[groups + 1];
    for (long p : all) {
      starts[(int) (p >>> 32) + 1]++;
    }
    for (int g = 0; g < groups; g++) {
      starts[g + 1] += starts[g];
    }
    int[] fill = Arrays.copyOf(starts, groups);
    int[] valueRows = new int[all.length];
    for (long p : all) {
      valueRows[fill[(int) (p >>> 32)]++] = (int) p;
    }
    Field field = listField(stateName("distinct"));
    ListVector list = (ListVector) field.createVector(allocator);
    try (FieldVector dict = dictionary.stores.getFirst().toVector(allocator)) {
      list.allocateNew();
      FieldVector gathered = ColumnGather.gatherColumn(
          new FieldVector[] {dict}, null, valueRows, 0, valueRows.length, dict.getField(), allocator);
      try (gathered) {
        gathered.makeTransferPair(list.getDataVector()).transfer();
      }
      for (int g = 0; g < groups; g++) {
        list.startNewValue(g);
        list.endValue(g, starts[g + 1] - starts[g]);
      }
      list.setValueCount(groups);
      return List.of(list);
    } catch (RuntimeException e) {
      list.close();
      throw e;
    }
  }

  @Override
  FieldVector result(int groups, BufferAllocator allocator) {
    return longs(int64(spec.name()), distinct, null, groups, allocator);
  }
}

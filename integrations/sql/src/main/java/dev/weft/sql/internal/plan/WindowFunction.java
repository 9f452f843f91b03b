package dev.weft.sql.internal.plan;

import dev.weft.data.BatchFunction;
import dev.weft.data.DataType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.Text;

/**
 * Window functions over one partition (one {@code mapGroups} call): the rows ordered by the window's keys, then
 * ROW_NUMBER, RANK, DENSE_RANK and COUNT/SUM/AVG/MIN/MAX over the whole partition (no ORDER BY) or from its
 * start to the current row (ROWS) or to the current row's last peer (RANGE). The input's columns pass through
 * (moved, not copied) and one column per call is appended. Serializable; one call per partition.
 */
record WindowFunction(List<Key> order, List<Call> calls, boolean rows) implements BatchFunction {
    /** An order key: column, direction, and where nulls go. */
    record Key(String column, boolean descending, boolean nullsFirst) implements Serializable {
    }

    /** One window call: ROW_NUMBER, RANK, DENSE_RANK, COUNT, SUM, AVG, MIN or MAX of {@code column} (null for none). */
    record Call(String kind, String column, String output, DataType type) implements Serializable {
    }

    @Override
    public VectorSchemaRoot apply(VectorSchemaRoot batch) {
        int n = batch.getRowCount();
        Integer[] perm = new Integer[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        List<Object[]> keys = new ArrayList<>();
        for (Key k : order) {
            keys.add(values(batch.getVector(k.column()), n));
        }
        Comparator<Integer> cmp = (a, b) -> {
            for (int k = 0; k < order.size(); k++) {
                int c = compare(keys.get(k)[a], keys.get(k)[b], order.get(k));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        Arrays.sort(perm, cmp);
        List<Object[]> args = new ArrayList<>();
        for (Call call : calls) {
            args.add(call.column() == null ? null : values(batch.getVector(call.column()), n));
        }
        BufferAllocator allocator = BatchFunction.allocator(batch);
        List<FieldVector> out = new ArrayList<>();
        for (FieldVector v : batch.getFieldVectors()) {
            var transfer = v.getTransferPair(allocator);
            transfer.transfer();
            out.add((FieldVector) transfer.getTo());
        }
        for (int c = 0; c < calls.size(); c++) {
            Object[] result = compute(calls.get(c), args.get(c), perm, cmp);
            out.add(vector(calls.get(c), result, allocator));
        }
        VectorSchemaRoot root = new VectorSchemaRoot(out);
        root.setRowCount(n);
        return root;
    }

    private Object[] compute(Call call, Object[] args, Integer[] perm, Comparator<Integer> cmp) {
        int n = perm.length;
        Object[] result = new Object[n];
        boolean wholePartition = order.isEmpty();
        long rank = 0;
        long dense = 0;
        Acc acc = new Acc(call.kind());
        for (int i = 0; i < n; ) {
            int end = i + 1;
            // The peers of row perm[i]: the rows after it with equal order keys.
            while (end < n && (wholePartition || cmp.compare(perm[i], perm[end]) == 0)) {
                end++;
            }
            dense++;
            for (int j = i; j < end; j++) {
                int row = perm[j];
                switch (call.kind()) {
                    case "ROW_NUMBER" -> result[row] = (long) (j + 1);
                    case "RANK" -> result[row] = rank + 1;
                    case "DENSE_RANK" -> result[row] = dense;
                    default -> {
                        acc.add(args == null ? Boolean.TRUE : args[row]);
                        if (rows && !wholePartition) {
                            result[row] = acc.value();
                        }
                    }
                }
            }
            if (!(rows && !wholePartition) && !call.kind().endsWith("RANK") && !call.kind().equals("ROW_NUMBER")) {
                Object v = acc.value();
                for (int j = i; j < end; j++) {
                    result[perm[j]] = v;
                }
            }
            rank = end;
            i = end;
        }
        if (wholePartition && !call.kind().endsWith("RANK") && !call.kind().equals("ROW_NUMBER")) {
            Object v = acc.value();
            Arrays.fill(result, v);
        }
        return result;
    }

    /** A running aggregate; nulls are skipped, as in SQL. */
    private static final class Acc {
        private final String kind;
        private long count;
        private double sum;
        private long longSum;
        private boolean integral = true;
        private Object best;

        Acc(String kind) {
            this.kind = kind;
        }

        void add(Object v) {
            if (v == null) {
                return;
            }
            count++;
            if (v instanceof Number num) {
                sum += num.doubleValue();
                if (v instanceof Long || v instanceof Integer) {
                    longSum += num.longValue();
                } else {
                    integral = false;
                }
            }
            if (kind.equals("MIN") && (best == null || compare(v, best, null) < 0)
                    || kind.equals("MAX") && (best == null || compare(v, best, null) > 0)) {
                best = v;
            }
        }

        Object value() {
            return switch (kind) {
                case "COUNT" -> count;
                // $SUM0 only comes from Calcite's rewrite of SUM OVER, always as CASE WHEN COUNT > 0 THEN $SUM0,
                // which the projection above reads as this value: null when there is no value.
                case "SUM", "SUM0" -> count == 0 ? null : integral ? (Object) longSum : (Object) sum;
                case "AVG" -> count == 0 ? null : sum / count;
                case "MIN", "MAX" -> best;
                default -> throw new IllegalStateException("unknown window aggregate " + kind);
            };
        }
    }

    private static Object[] values(FieldVector v, int n) {
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            Object o = v.getObject(i);
            out[i] = o instanceof Text t ? t.toString() : o;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static int compare(Object a, Object b, Key key) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            boolean nullsFirst = key != null && key.nullsFirst();
            return a == null ? (nullsFirst ? -1 : 1) : (nullsFirst ? 1 : -1);
        }
        int c;
        if (a instanceof Long x && b instanceof Long y) {
            c = Long.compare(x, y);
        } else if (a instanceof Number x && b instanceof Number y) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else {
            c = ((Comparable<Object>) a).compareTo(b);
        }
        return key != null && key.descending() ? -c : c;
    }

    private static FieldVector vector(Call call, Object[] values, BufferAllocator allocator) {
        Field field = Field.nullable(call.output(), call.type().arrowType());
        FieldVector v = field.createVector(allocator);
        v.allocateNew();
        for (int i = 0; i < values.length; i++) {
            Object x = values[i];
            if (x == null) {
                v.setNull(i);
                continue;
            }
            Number num = (Number) x;
            switch (v) {
                case BigIntVector b -> b.setSafe(i, num.longValue());
                case IntVector b -> b.setSafe(i, num.intValue());
                case Float8Vector b -> b.setSafe(i, num.doubleValue());
                case Float4Vector b -> b.setSafe(i, num.floatValue());
                default -> throw new IllegalStateException("window results are numbers, not " + call.type());
            }
        }
        v.setValueCount(values.length);
        return v;
    }
}

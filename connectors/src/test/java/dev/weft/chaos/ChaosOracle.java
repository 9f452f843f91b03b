package dev.weft.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exact answer of a case, computed in plain Java from the same formulas, and the canonical form both sides
 * are compared in: one string per row, in output order where the pipeline defines one (a sort read back in order),
 * sorted otherwise.
 */
final class ChaosOracle {
    private ChaosOracle() {
    }

    static List<String> columns(ChaosCase c) {
        return switch (c.exchange()) {
            case NONE, RANDOM_SHUFFLE, SORT -> List.of("id", "w");
            case GROUP_BY -> List.of("k", "n", "s");
            case JOIN -> List.of("id", "weight");
        };
    }

    static List<String> expected(ChaosCase c) {
        List<long[]> rows = new ArrayList<>();
        for (long id = 0; id < c.rows(); id++) {
            long v = id * 7919 % 1000;
            long w = ChaosPipeline.w(id, v);
            if (c.filter() && w % 4 == 0) {
                continue;
            }
            rows.add(new long[] {id, id % c.keys(), v, w});
        }
        List<List<Object>> out = new ArrayList<>();
        switch (c.exchange()) {
            case NONE, RANDOM_SHUFFLE -> rows.forEach(r -> out.add(List.of(r[0], r[3])));
            case SORT -> {
                rows.sort((a, b) -> a[3] != b[3] ? Long.compare(a[3], b[3]) : Long.compare(a[0], b[0]));
                rows.forEach(r -> out.add(List.of(r[0], r[3])));
            }
            case GROUP_BY -> {
                Map<Long, long[]> groups = new TreeMap<>();
                for (long[] r : rows) {
                    long[] g = groups.computeIfAbsent(r[1], k -> new long[2]);
                    g[0]++;
                    g[1] += r[3];
                }
                groups.forEach((k, g) -> out.add(List.of(k, g[0], g[1])));
            }
            case JOIN -> {
                int dim = ChaosPipeline.dimKeys(c);
                boolean outer = ChaosPipeline.joinType(c) == dev.weft.data.JoinType.LEFT_OUTER;
                for (long[] r : rows) {
                    if (r[1] < dim) {
                        out.add(List.of(r[0], ChaosPipeline.weight(r[1])));
                    } else if (outer) {
                        List<Object> row = new ArrayList<>();
                        row.add(r[0]);
                        row.add(null);
                        out.add(row);
                    }
                }
            }
        }
        if (c.sink() == ChaosCase.Sink.COUNT) {
            return List.of("count=" + out.size());
        }
        // Files written by a sort are read back in no defined order: compared as a multiset.
        return canonical(c, out, c.sink() != ChaosCase.Sink.WRITE_PARQUET);
    }

    /** One string per row; sorted unless the rows come from a sort read back in order. */
    static List<String> canonical(ChaosCase c, List<List<Object>> rows, boolean ordered) {
        List<String> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            StringBuilder sb = new StringBuilder();
            for (Object value : row) {
                if (!sb.isEmpty()) {
                    sb.append(':');
                }
                sb.append(number(value));
            }
            out.add(sb.toString());
        }
        if (!(ordered && c.exchange() == ChaosCase.Exchange.SORT)) {
            Collections.sort(out);
        }
        return out;
    }

    private static String number(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Number n && !(value instanceof Double) && !(value instanceof Float)) {
            return Long.toString(n.longValue());
        }
        return value.toString();
    }
}

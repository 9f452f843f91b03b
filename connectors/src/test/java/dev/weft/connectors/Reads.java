package dev.weft.connectors;

import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Datasource;
import dev.weft.data.FormatOptions;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;

/** Runs a source's read tasks in the test thread (no engine) and collects rows as lists of Java values. */
final class Reads {
    private Reads() {}

    record Result(List<String> columns, List<List<Object>> rows, Map<String, Long> counters,
            Map<String, String> skipped, int tasks) {
        List<Object> column(String name) {
            int i = columns.indexOf(name);
            return rows.stream().map(r -> r.get(i)).toList();
        }
    }

    static Result readAll(Datasource source, BufferAllocator allocator, DataContext ctx) throws IOException {
        List<ReadTask> tasks = source.getReadTasks(4, ctx);
        List<List<Object>> rows = new ArrayList<>();
        List<String> columns = source.schema().map(s -> s.getFields().stream().map(f -> f.getName()).toList())
                .orElse(List.of());
        Map<String, Long> counters = new HashMap<>();
        Map<String, String> skipped = new HashMap<>();
        for (ReadTask t : tasks) {
            ReadContext rc = new ReadContext(allocator, ctx);
            try (CloseableIterator<VectorSchemaRoot> it = t.read(rc)) {
                while (it.hasNext()) {
                    try (VectorSchemaRoot b = it.next()) {
                        if (columns.isEmpty()) {
                            columns = b.getSchema().getFields().stream().map(f -> f.getName()).toList();
                        }
                        for (int r = 0; r < b.getRowCount(); r++) {
                            List<Object> row = new ArrayList<>();
                            for (FieldVector v : b.getFieldVectors()) {
                                Object o = v.getObject(r);
                                row.add(o instanceof Text txt ? txt.toString() : o);
                            }
                            rows.add(row);
                        }
                    }
                }
            }
            rc.counters().forEach((k, v) -> counters.merge(k, v, Long::sum));
            skipped.putAll(rc.skippedFiles());
        }
        return new Result(columns, rows, counters, skipped, tasks.size());
    }

    static Result readAll(Datasource source, BufferAllocator allocator) throws IOException {
        return readAll(source, allocator, DataContext.builder().build());
    }

    static FormatOptions opts(String... kv) {
        FormatOptions.Builder b = FormatOptions.builder();
        for (int i = 0; i < kv.length; i += 2) {
            b.option(kv[i], kv[i + 1]);
        }
        return b.build();
    }
}

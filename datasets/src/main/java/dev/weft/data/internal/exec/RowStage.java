package dev.weft.data.internal.exec;

import dev.weft.data.CloseableIterator;
import dev.weft.data.Row;
import dev.weft.data.RowFlatFunction;
import dev.weft.data.RowFunction;
import dev.weft.data.RowPredicate;
import dev.weft.data.internal.RowSchema;
import dev.weft.data.internal.arrow.Batches;
import dev.weft.data.internal.arrow.RowBatchBuilder;
import dev.weft.data.internal.arrow.RowBatches;
import dev.weft.spi.FunctionNames;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/** A row-at-a-time user function: {@code map}, {@code flatMap} or {@code filter(RowPredicate)}. */
public record RowStage(Kind kind, Object function) implements Stage {
    /**
     * Rows made at a time from an input batch: a whole batch of row objects (a row group can be 10^5 rows) would
     * be out of the CPU's cache by the time the function reads them.
     */
    private static final int SLICE = 1024;

    public enum Kind { MAP, FLAT_MAP, FILTER }

    @Override
    public String explain() {
        String name = switch (kind) {
            case MAP -> "Map";
            case FLAT_MAP -> "FlatMap";
            case FILTER -> "FilterRows";
        };
        return name + "[" + functionName(function) + "]";
    }

    static String functionName(Object fn) {
        var lambda = FunctionNames.serializedLambda(fn);
        if (lambda == null) {
            return fn.getClass().getSimpleName();
        }
        String owner = lambda.getImplClass();
        owner = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
        String method = lambda.getImplMethodName();
        return owner + "." + (method.startsWith("lambda$") ? "lambda" : "<init>".equals(method) ? "new" : method);
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        String operator = ctx.operator() + " " + explain();
        Schema[] last = new Schema[1];
        return Iterators.map(input, in -> {
            try (in) {
                int n = in.getRowCount();
                RowSchema schema = RowBatches.schemaOf(in);
                if (kind == Kind.FILTER) {
                    RowPredicate p = (RowPredicate) function;
                    int[] keep = new int[n];
                    int k = 0;
                    for (int from = 0; from < n; from += SLICE) {
                        Row[] rows = RowBatches.toRows(in, schema, from, Math.min(n, from + SLICE));
                        for (int i = 0; i < rows.length; i++) {
                            if (p.test(rows[i])) {
                                keep[k++] = from + i;
                            }
                        }
                    }
                    return k == 0 ? null : Batches.take(in, keep, k, ctx.allocator());
                }
                VectorSchemaRoot result;
                // Until a batch has been made, the input's types stand for columns passed through (null in this batch).
                Schema hint = last[0] != null ? last[0] : in.getSchema();
                try (RowBatchBuilder out = new RowBatchBuilder(ctx.allocator(), operator, hint, n)) {
                    for (int from = 0; from < n; from += SLICE) {
                        Row[] rows = RowBatches.toRows(in, schema, from, Math.min(n, from + SLICE));
                        if (kind == Kind.MAP) {
                            RowFunction f = (RowFunction) function;
                            for (Row r : rows) {
                                Row mapped = f.apply(r);
                                if (mapped == null) {
                                    throw new IllegalStateException("map function returned null for row " + r);
                                }
                                out.add(mapped);
                            }
                        } else {
                            RowFlatFunction f = (RowFlatFunction) function;
                            for (Row r : rows) {
                                for (Row x : f.apply(r)) {
                                    out.add(x);
                                }
                            }
                        }
                    }
                    result = out.finish();
                }
                if (result == null) {
                    return null;
                }
                last[0] = result.getSchema();
                return result;
            }
        });
    }
}

package dev.weft.data.internal.exec;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.api.WeftFunc0;
import dev.weft.data.BatchFunction;
import dev.weft.data.CloseableIterator;
import dev.weft.data.internal.arrow.Batches;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Calls a batch UDF on batches of {@code batchSize} rows. The UDF is either a stateless function or built by
 * {@code factory} once per task (tasks) or once per actor (kept in {@link StageContext#udfs()} under
 * {@code udfIndex}). Checks what the UDF returns, and names the operator and the input files when it fails.
 */
public record MapBatchesStage(String name, BatchFunction function, WeftFunc0<? extends BatchFunction> factory,
                              int batchSize, int udfIndex) implements Stage {
    @Override
    public String explain() {
        return "MapBatches[" + name + (batchSize > 0 ? ", batchSize=" + batchSize : "") + "]";
    }

    /** Builds this stage's UDF instance (a constructor call for class UDFs). */
    public BatchFunction instantiate(String operator) {
        if (function != null) {
            return function;
        }
        try {
            return factory.apply();
        } catch (Exception e) {
            throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + ": constructing the UDF " + name
                    + " failed: " + e, e);
        }
    }

    @Override
    public CloseableIterator<VectorSchemaRoot> apply(CloseableIterator<VectorSchemaRoot> input, StageContext ctx) {
        BatchFunction udf = ctx.udfs().computeIfAbsent(udfIndex, k -> instantiate(ctx.operator()));
        CloseableIterator<VectorSchemaRoot> batches = batchSize > 0 ? new Rebatcher(input, batchSize, ctx.allocator()) : input;
        String operator = "MapBatches(" + name + ")";
        Schema[] first = new Schema[1];
        return Iterators.map(batches, in -> {
            VectorSchemaRoot out;
            try {
                out = udf.apply(in);
            } catch (Exception | Error e) {
                in.close();
                if (e instanceof WeftException we && we.getMessage().startsWith("operator ")) {
                    throw we;
                }
                // The executor's message names the task and its input files: this one says which stage failed.
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + " failed on a batch: " + e, e);
            }
            if (out == null) {
                in.close();
                throw new WeftException(ErrorType.USER_ERROR, "operator " + operator + " returned null for a batch from "
                        + "input files " + ctx.inputFiles());
            }
            try {
                Batches.checkColumnLengths(out, operator);
                if (first[0] == null) {
                    first[0] = out.getSchema();
                } else {
                    Batches.checkSameSchema(first[0], out.getSchema(), operator);
                }
                // Take the buffers out of whatever vectors the UDF returned (they may be the input's own), so
                // closing the input and the UDF's root below frees nothing that is still in use.
                return Batches.transfer(out, ctx.allocator());
            } finally {
                if (out != in) {
                    out.close();
                }
                in.close();
            }
        });
    }
}

package dev.weft.data;

import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.JobAttempts;
import dev.weft.data.internal.exec.OutputBatches;
import dev.weft.data.internal.exec.StreamingExecutor;
import dev.weft.data.internal.plan.LogicalOp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The consumptions of a {@link Dataset} that run its plan to a result rather than hand out its rows: counting,
 * the schema, column aggregates, materializing and writing.
 */
final class DatasetRuns {
    private DatasetRuns() {
    }

    static long count(Dataset d) {
        Long fromMetadata = countFromMetadata(d);
        if (fromMetadata != null) {
            return fromMetadata;
        }
        return JobAttempts.run("count", () -> {
            long total = 0;
            try (OutputBatches out = d.execute(d.plan())) {
                while (out.hasNext()) {
                    total += out.skip().numRows();
                }
            }
            return total;
        });
    }

    private static Long countFromMetadata(Dataset d) {
        LogicalOp op = d.plan();
        while (op instanceof LogicalOp.Project) {
            op = op.input();
        }
        if (op instanceof LogicalOp.InputBlocks b) {
            return b.blocks().stream().mapToLong(BlockRef::numRows).sum();
        }
        if (op instanceof LogicalOp.Read r) {
            if (r.source().exactRowCount().isPresent()) {
                return r.source().exactRowCount().getAsLong();
            }
            DataContext context = d.context();
            int parallelism = context.readParallelism() > 0 ? context.readParallelism() : 8;
            long sum = 0;
            for (ReadTask t : r.source().getReadTasks(parallelism, context)) {
                if (t.metadata().numRows().isEmpty()) {
                    return null;
                }
                sum += t.metadata().numRows().getAsLong();
            }
            return sum;
        }
        return null;
    }

    static Schema schema(Dataset d) {
        Schema planned = plannedSchema(d.plan());
        if (planned != null) {
            return planned;
        }
        try (CloseableIterator<VectorSchemaRoot> it = d.limit(1).iterBatches()) {
            if (!it.hasNext()) {
                throw new WeftException(ErrorType.USER_ERROR, "the dataset is empty, so its schema is unknown");
            }
            return it.next().getSchema();
        }
    }

    /** The schema the plan knows without running (null when a source's schema or an operator's output is not). */
    static Schema plannedSchema(LogicalOp op) {
        return switch (op) {
            case LogicalOp.Read r -> r.source().schema().orElse(null);
            case LogicalOp.Filter f -> plannedSchema(f.input());
            case LogicalOp.Limit l -> plannedSchema(l.input());
            case LogicalOp.Sample s -> plannedSchema(s.input());
            case LogicalOp.Project p -> {
                Schema in = plannedSchema(p.input());
                yield in == null ? null : p.projection().outputSchema(in);
            }
            default -> null;
        };
    }

    static Aggregates aggregate(Dataset d, String column) {
        Aggregates a = new Aggregates(column);
        try (CloseableIterator<VectorSchemaRoot> it = d.select(column).iterBatches()) {
            while (it.hasNext()) {
                a.add(it.next().getVector(column));
            }
        }
        return a;
    }

    /** The blocks of one run of {@code d}'s plan, kept in the object store (restarted whole after a lost node). */
    static List<BlockRef> materialize(Dataset d) {
        return JobAttempts.run("materialize", () -> {
            List<BlockRef> taken = new ArrayList<>();
            Set<ObjectRef<?>> kept = Collections.newSetFromMap(new IdentityHashMap<>());
            try (OutputBatches out = d.execute(d.plan(), "job-" + UUID.randomUUID(), kept)) {
                while (out.hasNext()) {
                    BlockRef b = out.takeRef();
                    kept.add(b.ref());
                    taken.add(b);
                }
            } catch (RuntimeException | Error e) {
                taken.forEach(b -> b.ref().close());
                throw e;
            }
            return taken;
        });
    }

    /** One attempt at writing {@code d} to {@code sink}: committed when every task succeeded, else aborted. */
    /** The distinct values of {@code column}, through a group-by. */
    static List<Object> unique(Dataset d, String column) {
        List<Object> values = new ArrayList<>();
        for (Row r : d.groupBy(column).count().select(column).takeAll()) {
            values.add(r.get(column));
        }
        return values;
    }

    /** Writes all or nothing; a write that lost intermediate blocks with a node was aborted, so it starts over. */
    static void write(Dataset d, Datasink sink) {
        JobAttempts.run("write to " + sink.name(), () -> {
            writeOnce(d, sink);
            return null;
        });
    }

    static void writeOnce(Dataset d, Datasink sink) {
        String jobId = "write-" + UUID.randomUUID();
        try {
            sink.onWriteStart(jobId, d.context());
        } catch (java.io.IOException e) {
            throw new WeftException(ErrorType.USER_ERROR, "starting the write to " + sink.name() + " (" + sink.describe()
                    + ") failed: " + e, e);
        }
        StreamingExecutor exec = null;
        List<WriteResult> results = List.of();
        try {
            OutputBatches out = d.execute(new LogicalOp.Write(d.plan(), sink), jobId, Set.of());
            exec = out.executor();
            try (out) {
                while (out.hasNext()) {
                    out.skip();
                }
            }
            results = exec.writeResults();
            sink.commit(jobId, results);
        } catch (Throwable t) {
            List<WriteResult> completed = exec == null ? results : exec.writeResults();
            sink.abort(jobId, completed, t);
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new WeftException(ErrorType.USER_ERROR, "committing the write to " + sink.name() + " failed: " + t, t);
        } finally {
            if (exec != null) {
                d.recordStats(exec.stats());
            }
        }
    }

    /** The files the sources of {@code d} read (without reading them). */
    static List<String> inputFiles(Dataset d) {
        DataContext context = d.context();
        java.util.LinkedHashSet<String> files = new java.util.LinkedHashSet<>();
        for (LogicalOp op = d.plan(); op != null; op = op.input()) {
            if (op instanceof LogicalOp.Read r) {
                int parallelism = context.readParallelism() > 0 ? context.readParallelism() : 8;
                r.source().getReadTasks(parallelism, context).forEach(t -> files.addAll(t.metadata().inputFiles()));
            } else if (op instanceof LogicalOp.InputBlocks b) {
                b.blocks().forEach(x -> files.addAll(x.inputFiles()));
            }
        }
        return List.copyOf(files);
    }
}

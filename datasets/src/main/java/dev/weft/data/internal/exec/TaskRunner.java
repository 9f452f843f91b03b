package dev.weft.data.internal.exec;

import dev.weft.api.ErrorType;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.AnalysisException;
import dev.weft.data.BatchFunction;
import dev.weft.data.CloseableIterator;
import dev.weft.data.ReadContext;
import dev.weft.data.ReadTask;
import dev.weft.data.WriteContext;
import dev.weft.data.WriteResult;
import dev.weft.data.internal.arrow.DataAllocators;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The code inside the Weft tasks of map-like operators: read (or fetch input blocks), run the fused stages,
 * then store blocks or write to the sink. The static methods are the task functions.
 */
public final class TaskRunner {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TaskRunner() {
    }

    /** Task function of a read operator. */
    public static TaskResult runRead(ReadTask task, TaskPlan plan, Integer taskIndex) throws Exception {
        List<String> files = task.metadata().inputFiles();
        try (BufferAllocator allocator = DataAllocators.child(plan.operator() + "-" + taskIndex)) {
            ReadContext readContext = new ReadContext(allocator, plan.context());
            return run(plan, taskIndex, files, allocator, new HashMap<>(), readContext, () -> {
                try {
                    return task.read(readContext);
                } catch (java.io.IOException e) {
                    throw new WeftException(ErrorType.USER_ERROR, "operator " + plan.operator() + ": reading " + files
                            + " failed: " + e, e);
                }
            });
        }
    }

    /** Task function of a map operator on tasks. */
    public static TaskResult runMap(List<BlockRef> inputs, TaskPlan plan, Integer taskIndex) throws Exception {
        try (BufferAllocator allocator = DataAllocators.child(plan.operator() + "-" + taskIndex)) {
            return runBundle(inputs, plan, taskIndex, allocator, new HashMap<>());
        }
    }

    static TaskResult runBundle(List<BlockRef> inputs, TaskPlan plan, int taskIndex, BufferAllocator allocator,
                             Map<Integer, BatchFunction> udfs) throws Exception {
        LinkedHashSet<String> files = new LinkedHashSet<>();
        inputs.forEach(b -> files.addAll(b.inputFiles()));
        return run(plan, taskIndex, List.copyOf(files), allocator, udfs, null, () -> fetch(inputs));
    }

    private interface Source {
        CloseableIterator<VectorSchemaRoot> open();
    }

    private static TaskResult run(TaskPlan plan, int taskIndex, List<String> files, BufferAllocator allocator,
                                  Map<Integer, BatchFunction> udfs, ReadContext readContext, Source source) throws Exception {
        BufferAllocator previous = DataAllocators.enterTask(allocator);
        try {
            return runIn(plan, taskIndex, files, allocator, udfs, readContext, source);
        } finally {
            DataAllocators.exitTask(previous);
        }
    }

    private static TaskResult runIn(TaskPlan plan, int taskIndex, List<String> files, BufferAllocator allocator,
                                    Map<Integer, BatchFunction> udfs, ReadContext readContext, Source source) throws Exception {
        long wallStart = System.nanoTime();
        long cpuStart = cpuNow();
        StageContext ctx = new StageContext(allocator, plan.context(), plan.operator(), taskIndex, files, udfs);
        Weft weft = Weft.current();
        CloseableIterator<VectorSchemaRoot> stream = source.open();
        try {
            for (Stage stage : plan.stages()) {
                stream = stage.apply(stream, ctx);
            }
            WriteResult write = null;
            List<BlockRef> blocks = List.of();
            long rows;
            long bytes;
            if (plan.sink() != null) {
                String attempt = plan.jobId() + "-" + taskIndex + "-" + UUID.randomUUID().toString().substring(0, 8);
                stream = new LentBatches(stream);
                write = plan.sink().write(stream, new WriteContext(taskIndex, attempt, plan.jobId(), allocator, plan.context()));
                rows = write.numRows();
                bytes = write.numBytes();
            } else {
                BlockOutput out = new BlockOutput(weft, plan.context(), allocator, files);
                try {
                    while (stream.hasNext()) {
                        out.add(stream.next());
                    }
                    out.flush();
                } catch (RuntimeException | Error e) {
                    out.discard();
                    throw e;
                }
                blocks = out.blocks();
                rows = out.rows();
                bytes = out.bytes();
            }
            long cpuEnd = cpuNow();
            long wall = System.nanoTime() - wallStart;
            long cpu = cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart;
            return new TaskResult(blocks, write, rows, bytes, cpu < 0 ? wall : cpu, wall,
                    readContext == null ? Map.of() : readContext.counters(),
                    readContext == null ? Map.of() : readContext.skippedFiles());
        } catch (Iterators.StageFailure e) {
            throw describe(plan, files, e.getCause());
        } catch (AnalysisException e) {
            throw e; // names the operation and column already; the driver reports it as it would at planning
        } catch (WeftException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("operator ") ? e : describe(plan, files, e);
        } catch (RuntimeException e) {
            throw describe(plan, files, e);
        } finally {
            stream.close();
        }
    }

    private static WeftException describe(TaskPlan plan, List<String> files, Throwable cause) {
        ErrorType type = cause instanceof WeftException w ? w.errorType() : ErrorType.USER_ERROR;
        return new WeftException(type, "operator " + plan.operator() + " failed on input files " + files + ": " + cause, cause);
    }

    private static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Lends each batch to a sink until it asks for the next one, then closes it (the sink never closes batches). */
    private static final class LentBatches implements CloseableIterator<VectorSchemaRoot> {
        private final CloseableIterator<VectorSchemaRoot> in;
        private VectorSchemaRoot lent;

        LentBatches(CloseableIterator<VectorSchemaRoot> in) {
            this.in = in;
        }

        private void reclaim() {
            if (lent != null) {
                lent.close();
                lent = null;
            }
        }

        @Override
        public boolean hasNext() {
            reclaim();
            return in.hasNext();
        }

        @Override
        public VectorSchemaRoot next() {
            reclaim();
            lent = in.next();
            return lent;
        }

        @Override
        public void close() {
            reclaim();
            in.close();
        }
    }

    /** Streams the input blocks, fetching each only when the previous one has been consumed. */
    private static CloseableIterator<VectorSchemaRoot> fetch(List<BlockRef> inputs) {
        List<BlockRef> queue = new ArrayList<>(inputs);
        return new CloseableIterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < queue.size();
            }

            @Override
            public VectorSchemaRoot next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return queue.get(next++).ref().get();
            }

            @Override
            public void close() {
                next = queue.size();
            }
        };
    }
}

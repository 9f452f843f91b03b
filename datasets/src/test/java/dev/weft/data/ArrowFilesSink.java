package dev.weft.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;

/**
 * A real sink for this module's tests: Arrow IPC files staged under {@code <dir>/_temporary/<job>/} and renamed
 * into {@code <dir>} on commit; abort deletes the staging directory. {@code failOnTask} makes that task throw
 * after staging its file (to prove a failed job leaves the target untouched).
 */
record ArrowFilesSink(String dir, int failOnTask) implements Datasink {
    @Override
    public String name() {
        return "ArrowFiles";
    }

    @Override
    public String describe() {
        return "dir=" + Path.of(dir).getFileName();
    }

    private Path staging(String jobId) {
        return Path.of(dir, "_temporary", jobId);
    }

    @Override
    public void onWriteStart(String jobId, DataContext context) throws IOException {
        Files.createDirectories(staging(jobId));
    }

    @Override
    public WriteResult write(CloseableIterator<VectorSchemaRoot> batches, WriteContext context) throws IOException {
        Path file = staging(context.jobId()).resolve("part-" + context.attemptId() + ".arrow");
        long rows = 0;
        try (var ch = Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ArrowFileWriter writer = null;
            VectorSchemaRoot sinkRoot = null;
            while (batches.hasNext()) {
                VectorSchemaRoot b = batches.next();
                if (writer == null) {
                    sinkRoot = VectorSchemaRoot.create(b.getSchema(), context.allocator());
                    writer = new ArrowFileWriter(sinkRoot, null, ch);
                    writer.start();
                }
                sinkRoot.clear();
                sinkRoot.allocateNew();
                org.apache.arrow.vector.util.VectorSchemaRootAppender.append(sinkRoot, b);
                writer.writeBatch();
                rows += b.getRowCount();
            }
            if (writer != null) {
                writer.end();
                writer.close();
                sinkRoot.close();
            }
        }
        if (context.taskIndex() == failOnTask) {
            throw new IOException("injected failure in write task " + context.taskIndex() + " after staging " + file);
        }
        return new WriteResult(context.taskIndex(), rows, Files.size(file), List.of(file.toString()));
    }

    @Override
    public void commit(String jobId, List<WriteResult> results) throws IOException {
        Files.createDirectories(Path.of(dir));
        for (WriteResult r : results) {
            for (String f : r.stagedFiles()) {
                Path from = Path.of(f);
                Files.move(from, Path.of(dir, from.getFileName().toString()), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        deleteTree(Path.of(dir, "_temporary"));
    }

    @Override
    public void abort(String jobId, List<WriteResult> completed, Throwable cause) {
        try {
            deleteTree(Path.of(dir, "_temporary"));
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.delete(p);
        }
    }
}

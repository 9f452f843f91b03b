package dev.weft.connectors.internal.sink;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.connectors.internal.BatchWriter;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Datasink;
import dev.weft.data.WriteContext;
import dev.weft.data.WriteResult;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A directory sink that stages every task's file in a hidden sibling directory
 * ({@code <parent>/.<name>.weft-staging-<job>}) and publishes on commit by rename: the staging directory becomes
 * the target when the target does not exist, the target's contents are swapped out for {@code overwrite}, and the
 * staged files are moved in one by one for {@code append}. Until commit the target is untouched; abort deletes the
 * staging directory, including files of failed attempts. A {@code _SUCCESS} marker is written on commit.
 *
 * <p>On a local or HDFS file system the publishing rename of a new target is atomic. On S3 a rename is a copy, so
 * readers can see a partially published directory; the target still never holds a failed job's files.
 */
public abstract class StagedFileSink implements Datasink {
    private final String target;
    private final Map<String, String> hadoopSettings;
    private final WriteMode mode;

    protected StagedFileSink(String target, Map<String, String> hadoopSettings, WriteMode mode) {
        if (target == null || target.isBlank()) {
            throw new IllegalArgumentException("path: a target directory is required");
        }
        this.target = target;
        this.hadoopSettings = Map.copyOf(hadoopSettings);
        this.mode = mode;
    }

    /** File name extension, e.g. {@code "parquet"}. */
    protected abstract String extension();

    /** Opens a writer for one staged file. */
    protected abstract BatchWriter openWriter(String path, Schema schema, Configuration conf) throws IOException;

    @Override
    public String describe() {
        return "path=" + target + ", mode=" + mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    private Configuration conf() {
        return HadoopConf.of(hadoopSettings);
    }

    private Path targetPath() {
        return new Path(target);
    }

    private Path staging(String jobId) {
        Path t = targetPath();
        return new Path(t.getParent(), "." + t.getName() + ".weft-staging-" + safe(jobId));
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void onWriteStart(String jobId, DataContext context) throws IOException {
        Path t = targetPath();
        FileSystem fs = t.getFileSystem(conf());
        if (fs.exists(t)) {
            FileStatus st = fs.getFileStatus(t);
            if (!st.isDirectory()) {
                throw new WeftException(ErrorType.USER_ERROR, "write target " + target + " is a file, not a directory");
            }
            if (mode == WriteMode.ERROR && fs.listStatus(t).length > 0) {
                throw new WeftException(ErrorType.USER_ERROR, "write target " + target + " already exists and holds "
                        + fs.listStatus(t).length + " entries; pass mode=overwrite or mode=append");
            }
        }
        Path s = staging(jobId);
        if (!fs.mkdirs(s)) {
            throw new IOException("cannot create the staging directory " + s);
        }
    }

    @Override
    public WriteResult write(CloseableIterator<VectorSchemaRoot> batches, WriteContext context) throws IOException {
        Path file = new Path(staging(context.jobId()), String.format("part-%05d-%s-%s.%s", context.taskIndex(),
                safe(context.jobId()), safe(context.attemptId()), extension()));
        Configuration conf = conf();
        BatchWriter writer = null;
        boolean ok = false;
        try {
            while (batches.hasNext()) {
                VectorSchemaRoot b = batches.next();
                if (writer == null) {
                    writer = openWriter(file.toString(), b.getSchema(), conf);
                }
                writer.write(b);
            }
            long rows = 0;
            if (writer != null) {
                writer.close();
                rows = writer.rows();
            }
            ok = true;
            if (writer == null) {
                return new WriteResult(context.taskIndex(), 0, 0, List.of());
            }
            long bytes = file.getFileSystem(conf).getFileStatus(file).getLen();
            return new WriteResult(context.taskIndex(), rows, bytes, List.of(file.toString()));
        } finally {
            if (!ok) {
                if (writer != null) {
                    try {
                        writer.close();
                    } catch (RuntimeException suppressed) {
                        // The task already failed; its partial file is deleted below or by abort.
                    }
                }
                try {
                    file.getFileSystem(conf).delete(file, false);
                } catch (IOException suppressed) {
                    // abort() deletes the whole staging directory anyway.
                }
            }
        }
    }

    @Override
    public void commit(String jobId, List<WriteResult> results) throws IOException {
        Configuration conf = conf();
        Path t = targetPath();
        Path s = staging(jobId);
        FileSystem fs = t.getFileSystem(conf);
        Set<String> keep = new HashSet<>();
        for (WriteResult r : results) {
            for (String f : r.stagedFiles()) {
                keep.add(new Path(f).getName());
            }
        }
        // Failed attempts may have left files in the staging directory; only the results' files are published.
        for (FileStatus st : fs.listStatus(s)) {
            if (!keep.contains(st.getPath().getName())) {
                fs.delete(st.getPath(), true);
            }
        }
        for (String name : keep) {
            if (!fs.exists(new Path(s, name))) {
                throw new WeftException(ErrorType.SYSTEM_FAILURE, "staged file " + new Path(s, name)
                        + " of job " + jobId + " is missing at commit; the target " + target + " is untouched");
            }
        }
        fs.create(new Path(s, "_SUCCESS"), true).close();
        boolean exists = fs.exists(t);
        if (!exists) {
            if (t.getParent() != null) {
                fs.mkdirs(t.getParent());
            }
            rename(fs, s, t);
            return;
        }
        boolean empty = fs.listStatus(t).length == 0;
        if (mode == WriteMode.OVERWRITE || empty) {
            Path old = new Path(t.getParent(), "." + t.getName() + ".weft-old-" + safe(jobId));
            rename(fs, t, old);
            try {
                rename(fs, s, t);
            } catch (IOException e) {
                rename(fs, old, t);
                throw e;
            }
            fs.delete(old, true);
            return;
        }
        if (mode == WriteMode.ERROR) {
            throw new WeftException(ErrorType.USER_ERROR, "write target " + target
                    + " was filled by someone else during the write; nothing was published (mode=error)");
        }
        for (String name : keep) {
            rename(fs, new Path(s, name), new Path(t, name));
        }
        fs.delete(s, true);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        try {
            if (!fs.rename(from, to)) {
                throw new IOException("rename " + from + " -> " + to + " failed");
            }
        } catch (FileNotFoundException e) {
            throw new IOException("rename " + from + " -> " + to + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void abort(String jobId, List<WriteResult> completed, Throwable cause) {
        Path s = staging(jobId);
        try {
            s.getFileSystem(conf()).delete(s, true);
        } catch (IOException e) {
            cause.addSuppressed(new IOException("cannot delete the staging directory " + s + " of job " + jobId, e));
        }
    }
}

package dev.weft.data;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a dataset is written, all or nothing. The engine calls, in order:
 * <ol>
 *   <li>{@link #onWriteStart} once on the driver (e.g. create a staging directory, fail if the target is not
 *       writable);</li>
 *   <li>{@link #write} in parallel Weft tasks, each writing its batches to files under <b>temporary names</b>
 *       that readers of the target never see; a retried task runs again with a new attempt id;</li>
 *   <li>{@link #commit} once on the driver with every task's result, <b>only</b> if every task succeeded:
 *       it makes the staged files visible by rename and removes the staging area;</li>
 *   <li>or {@link #abort} once on the driver if any task failed or the job was cancelled: it deletes every
 *       staged file (also those of failed attempts, which it finds by the job id) and leaves the target as it
 *       was before the job.</li>
 * </ol>
 * A sink is serializable (it travels to write tasks) and immutable; the methods may be called from different
 * threads but never concurrently on the driver.
 */
public interface Datasink extends Serializable {
    /** A short name for plans and progress bars, e.g. {@code "Parquet"}. */
    String name();

    /** Parameters for {@code explain()}, e.g. {@code "path=/out, compression=zstd"}. */
    default String describe() {
        return "";
    }

    /** On the driver, before any write task. Failing here aborts before anything is written. */
    default void onWriteStart(String jobId, DataContext context) throws IOException {
    }

    /**
     * Writes {@code batches} to staged files. The engine owns each batch: it stays valid until the next
     * {@code hasNext()}/{@code next()} call or until this method returns, and the sink must not close it.
     */
    WriteResult write(CloseableIterator<VectorSchemaRoot> batches, WriteContext context) throws IOException;

    /** On the driver, after every write task succeeded: publishes the staged files by rename. */
    void commit(String jobId, List<WriteResult> results) throws IOException;

    /**
     * On the driver, after a failure: deletes every staged file of the job. {@code completed} holds the
     * results of tasks that did finish; failed attempts left files the sink must find by {@code jobId}.
     */
    void abort(String jobId, List<WriteResult> completed, Throwable cause);
}

package dev.weft.data;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A source of rows, planned on the driver and read in parallel by {@link ReadTask}s. Implementations are
 * immutable values: push-down capabilities ({@link SupportsProjectionPushdown}, {@link SupportsFilterPushdown},
 * {@link SupportsLimitPushdown}) return new sources rather than changing this one. Methods run on the driver
 * and may do I/O (listing files, reading footers); they should be cheap enough to call more than once.
 * Thread-safe because immutable.
 */
public interface Datasource {
    /** A short name for plans and progress bars, e.g. {@code "Parquet"}. */
    String name();

    /**
     * The source's parameters for {@code explain()}: paths and what was pushed down, e.g.
     * {@code "paths=[/data/x], columns=[id, x], filter=(x < 0.5)"}. Must be deterministic.
     */
    default String describe() {
        return "";
    }

    /** The schema of the rows, when known without reading data (a Parquet footer, an explicit schema). */
    default Optional<Schema> schema() {
        return Optional.empty();
    }

    /** An estimate of the in-memory (Arrow) size of all rows; used to pick parallelism and block sizes. */
    default OptionalLong estimatedInMemorySize() {
        return OptionalLong.empty();
    }

    /** The exact number of rows the source yields, when known without reading data. */
    default OptionalLong exactRowCount() {
        return OptionalLong.empty();
    }

    /**
     * This source planned with {@code context}'s settings where they change what it reads without the context at
     * hand ({@link #schema()}, {@link #exactRowCount()}: e.g. whether corrupt files are skipped). A dataset calls it
     * on its sources when it is created and in {@code Dataset.withContext}. The default is this source.
     */
    default Datasource withContext(DataContext context) {
        return this;
    }

    /**
     * Splits the read into tasks; {@code parallelism} is a hint (a source may return fewer tasks, e.g. one per
     * file or row-group set, or more if single units are larger than the target block size). Fails with a
     * {@link dev.weft.api.WeftException} of type {@code USER_ERROR} naming the path when the input is missing
     * or empty.
     */
    List<ReadTask> getReadTasks(int parallelism, DataContext context);
}

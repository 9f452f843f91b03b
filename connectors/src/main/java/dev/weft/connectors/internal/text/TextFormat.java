package dev.weft.connectors.internal.text;

import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.fs.InputFile;
import java.io.Serializable;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/** A row-per-record file format read whole files at a time (CSV, JSON lines, text, binary files). Serializable. */
public interface TextFormat extends Serializable {
    String name();

    /** The data schema inferred from {@code file} (the first file of a read). */
    Schema inferSchema(InputFile file, Configuration conf);

    /**
     * A reader of {@code file}'s rows into batches built by {@code builder}, stopping after {@code limit} rows. The
     * reader owns the builder and closes it.
     */
    BatchReader open(InputFile file, Schema dataSchema, Configuration conf, BatchBuilder builder,
            ReadCounters counters, long limit);
}

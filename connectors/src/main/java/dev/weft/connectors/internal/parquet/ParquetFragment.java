package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.internal.fs.InputFile;
import java.io.Serializable;
import java.util.List;

/** A read task's share of a Parquet file: the row groups (by ordinal in the footer) it decodes. */
public record ParquetFragment(InputFile file, List<Integer> rowGroups, long rows, long compressedBytes)
        implements Serializable {
    public ParquetFragment {
        rowGroups = List.copyOf(rowGroups);
    }
}

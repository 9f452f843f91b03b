package dev.weft.connectors.internal.fs;

import java.io.Serializable;
import java.util.List;

/**
 * One data file of a read: its fully qualified path, length in bytes and the raw hive partition values of its
 * directories ({@code key=value} segments between the read root and the file), in directory order.
 */
public record InputFile(String path, long length, List<String> partitionKeys, List<String> partitionValues)
        implements Serializable {
    public InputFile {
        partitionKeys = List.copyOf(partitionKeys);
        partitionValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(partitionValues));
    }
}

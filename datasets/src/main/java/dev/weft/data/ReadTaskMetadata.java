package dev.weft.data;

import java.io.Serializable;
import java.util.List;
import java.util.OptionalLong;

/**
 * What is known about a read task before it runs.
 *
 * @param numRows    the exact number of rows the task yields, when known without reading (a Parquet footer);
 *                   empty when unknown or when a pushed-down filter may drop rows. {@code count()} sums these.
 * @param sizeBytes  an estimate of the task's output size in memory (Arrow), used for budgets; empty when unknown
 * @param inputFiles the files the task reads (shown in errors and {@code inputFiles()})
 */
public record ReadTaskMetadata(OptionalLong numRows, OptionalLong sizeBytes, List<String> inputFiles)
        implements Serializable {
    public ReadTaskMetadata {
        if (numRows == null || sizeBytes == null) {
            throw new IllegalArgumentException("numRows and sizeBytes must not be null (use OptionalLong.empty())");
        }
        if (numRows.isPresent() && numRows.getAsLong() < 0) {
            throw new IllegalArgumentException("numRows must be >= 0, got " + numRows.getAsLong());
        }
        if (sizeBytes.isPresent() && sizeBytes.getAsLong() < 0) {
            throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes.getAsLong());
        }
        inputFiles = List.copyOf(inputFiles);
    }
}

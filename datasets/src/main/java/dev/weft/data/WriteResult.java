package dev.weft.data;

import java.io.Serializable;
import java.util.List;

/**
 * What one write task produced: the files it staged (under temporary names, not yet visible), with rows
 * and bytes written. Returned to the driver, which passes every task's result to {@link Datasink#commit}.
 *
 * @param stagedFiles temporary paths this task wrote; the sink's commit renames them into place
 */
public record WriteResult(int taskIndex, long numRows, long numBytes, List<String> stagedFiles)
        implements Serializable {
    public WriteResult {
        if (numRows < 0 || numBytes < 0) {
            throw new IllegalArgumentException("numRows and numBytes must be >= 0, got " + numRows + ", " + numBytes);
        }
        stagedFiles = List.copyOf(stagedFiles);
    }
}

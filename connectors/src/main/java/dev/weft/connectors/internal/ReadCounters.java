package dev.weft.connectors.internal;

import java.io.Serializable;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what a read planned and touched, so tests and {@code stats()} can prove push-down. Thread-safe:
 * read tasks running concurrently add to one instance.
 */
public final class ReadCounters implements Serializable {
    private final LongAdder filesPlanned = new LongAdder();
    private final LongAdder filesPrunedByPartition = new LongAdder();
    private final LongAdder filesOpened = new LongAdder();
    private final LongAdder filesSkippedCorrupt = new LongAdder();
    private final LongAdder rowGroupsPlanned = new LongAdder();
    private final LongAdder rowGroupsPrunedByStatistics = new LongAdder();
    private final LongAdder rowGroupsRead = new LongAdder();
    private final LongAdder rowsRead = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    public void addFilesPlanned(long n) { filesPlanned.add(n); }
    public void addFilesPrunedByPartition(long n) { filesPrunedByPartition.add(n); }
    public void addFilesOpened(long n) { filesOpened.add(n); }
    public void addFilesSkippedCorrupt(long n) { filesSkippedCorrupt.add(n); }
    public void addRowGroupsPlanned(long n) { rowGroupsPlanned.add(n); }
    public void addRowGroupsPrunedByStatistics(long n) { rowGroupsPrunedByStatistics.add(n); }
    public void addRowGroupsRead(long n) { rowGroupsRead.add(n); }
    public void addRowsRead(long n) { rowsRead.add(n); }
    /** Bytes fetched from storage: compressed column-chunk bytes for Parquet, file bytes for text formats. */
    public void addBytesRead(long n) { bytesRead.add(n); }

    public long filesPlanned() { return filesPlanned.sum(); }
    public long filesPrunedByPartition() { return filesPrunedByPartition.sum(); }
    public long filesOpened() { return filesOpened.sum(); }
    public long filesSkippedCorrupt() { return filesSkippedCorrupt.sum(); }
    public long rowGroupsPlanned() { return rowGroupsPlanned.sum(); }
    public long rowGroupsPrunedByStatistics() { return rowGroupsPrunedByStatistics.sum(); }
    public long rowGroupsRead() { return rowGroupsRead.sum(); }
    public long rowsRead() { return rowsRead.sum(); }
    public long bytesRead() { return bytesRead.sum(); }

    @Override
    public String toString() {
        return "ReadCounters[filesPlanned=" + filesPlanned() + ", filesPrunedByPartition=" + filesPrunedByPartition()
                + ", filesOpened=" + filesOpened() + ", filesSkippedCorrupt=" + filesSkippedCorrupt()
                + ", rowGroupsPlanned=" + rowGroupsPlanned() + ", rowGroupsPrunedByStatistics="
                + rowGroupsPrunedByStatistics() + ", rowGroupsRead=" + rowGroupsRead() + ", rowsRead=" + rowsRead()
                + ", bytesRead=" + bytesRead() + "]";
    }
}

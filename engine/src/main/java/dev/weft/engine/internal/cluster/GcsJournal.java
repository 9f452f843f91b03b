package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.BiConsumer;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * The GCS's write-ahead journal: every table mutation is appended (kind + protobuf bytes) to a Chronicle Queue
 * before the call that made it is acknowledged; a head started on the same directory replays it. Appends are
 * serialised by the GCS; the queue is closed by the GCS that opened it.
 */
final class GcsJournal implements AutoCloseable {
    private final ChronicleQueue queue;
    /** Chronicle appenders are confined to one thread: every append runs on this one, the caller waiting. */
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("weft-gcs-journal").factory());
    private ExcerptAppender appender;

    private GcsJournal(ChronicleQueue queue) {
        this.queue = queue;
    }

    /** Opens (creating it if needed) the journal in {@code dir}; fails naming the directory when it cannot. */
    static GcsJournal open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WeftException(ErrorType.USER_ERROR, "journal directory " + dir + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir)) {
            throw new WeftException(ErrorType.USER_ERROR, "journal directory " + dir + " is not writable");
        }
        try {
            return new GcsJournal(ChronicleQueue.singleBuilder(dir).build());
        } catch (RuntimeException e) {
            throw new WeftException(ErrorType.USER_ERROR, "journal directory " + dir + " cannot be opened as a "
                    + "Chronicle Queue (corrupt or not a journal?): " + e.getMessage(), e);
        }
    }

    /** Appends one record; returns once it is written (so the mutation may be acknowledged). */
    void append(String kind, byte[] record) {
        String line = kind + " " + Base64.getEncoder().encodeToString(record);
        try {
            writer.submit(() -> {
                if (appender == null) {
                    appender = queue.createAppender();
                }
                appender.writeText(line);
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "interrupted while journaling a GCS change", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "the GCS journal " + queue.fileAbsolutePath()
                    + " cannot be written: " + e.getCause(), e.getCause());
        }
    }

    /** Calls {@code apply} with every record in append order; fails naming the directory on a corrupt record. */
    void replay(BiConsumer<String, byte[]> apply) {
        try (ExcerptTailer tailer = queue.createTailer().toStart()) {
            for (String line = tailer.readText(); line != null; line = tailer.readText()) {
                int space = line.indexOf(' ');
                if (space < 0) {
                    throw new WeftException(ErrorType.SYSTEM_FAILURE, "journal " + queue.fileAbsolutePath()
                            + " holds a corrupt record: '" + line + "'");
                }
                apply.accept(line.substring(0, space), Base64.getDecoder().decode(line.substring(space + 1)));
            }
        } catch (IllegalArgumentException e) {
            throw new WeftException(ErrorType.SYSTEM_FAILURE, "journal " + queue.fileAbsolutePath()
                    + " holds a corrupt record: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.submit(() -> {
                if (appender != null) {
                    appender.close();
                }
            }).get();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            // closing anyway
        }
        writer.shutdownNow();
        queue.close();
    }
}

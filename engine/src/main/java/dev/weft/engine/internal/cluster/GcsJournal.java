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
    private final ExcerptAppender appender;

    private GcsJournal(ChronicleQueue queue) {
        this.queue = queue;
        this.appender = queue.createAppender();
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

    synchronized void append(String kind, byte[] record) {
        appender.writeText(kind + " " + Base64.getEncoder().encodeToString(record));
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
        queue.close();
    }
}

package dev.weft.taskgraph;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.util.List;

/**
 * A key of a graph failed. Names the key and the dependency path from a requested output down to it
 * ({@code total <- sum-1 <- leaf-3}); {@link #getCause()} is the exception the key's function threw when it could
 * be carried back (else a {@link dev.weft.api.WeftException} describing it).
 */
public final class TaskGraphException extends WeftException {
    private final String key;
    private final List<String> path;

    TaskGraphException(ErrorType type, String key, List<String> path, Throwable cause) {
        super(type, "key '" + key + "' failed: " + describe(cause) + "; dependency path: "
                + String.join(" <- ", path), cause);
        this.key = key;
        this.path = List.copyOf(path);
    }

    /** The key whose function failed. */
    public String key() {
        return key;
    }

    /** The keys from a requested output down to {@link #key()}, each depending on the next. */
    public List<String> path() {
        return path;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof dev.weft.api.TaskFailedException tf) {
            String m = tf.originalMessage();
            return tf.originalClassName() + (m == null ? "" : ": " + m);
        }
        return String.valueOf(cause);
    }
}

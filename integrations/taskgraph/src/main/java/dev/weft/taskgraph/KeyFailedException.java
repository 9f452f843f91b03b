package dev.weft.taskgraph;

/**
 * Thrown inside a graph task when the function of {@code key} fails, so that the key survives the trip back from
 * a Weft task (and from inside a fused chain). Schedulers turn it into a {@link TaskGraphException}.
 */
final class KeyFailedException extends RuntimeException {
    static final String PREFIX = "key '";
    private final String key;

    KeyFailedException(String key, Throwable cause) {
        super(PREFIX + key + "' failed: " + cause, cause);
        this.key = key;
    }

    String key() {
        return key;
    }

    /** The key named by a message this class wrote, or null. */
    static String keyOf(String message) {
        if (message == null || !message.startsWith(PREFIX)) {
            return null;
        }
        int end = message.indexOf("' failed: ");
        return end < 0 ? null : message.substring(PREFIX.length(), end);
    }
}

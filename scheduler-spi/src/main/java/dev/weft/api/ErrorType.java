package dev.weft.api;

/** What kind of failure a {@link WeftException} reports, and so whether retrying can help. */
public enum ErrorType {
    /** The user's code or input is at fault; the same call fails again. */
    USER_ERROR(false),
    /** A worker, node or object went away; the same call may succeed on a retry. */
    SYSTEM_FAILURE(true),
    /** Not enough resources or memory right now or ever; retrying helps only if capacity changes. */
    INSUFFICIENT_RESOURCES(false),
    /** The caller gave up (timeout, cancel). */
    CANCELLED(false),
    /** A bug in Weft. */
    INTERNAL(false);

    private final boolean retryable;

    ErrorType(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether repeating the same call can succeed without changing the program. */
    public boolean isRetryable() {
        return retryable;
    }
}

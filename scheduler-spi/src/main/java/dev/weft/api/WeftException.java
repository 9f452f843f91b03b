package dev.weft.api;

/** Root of every error Weft raises. Messages name the thing at fault and the numbers involved. */
public class WeftException extends RuntimeException {
    private final ErrorType errorType;

    public WeftException(ErrorType errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public WeftException(ErrorType errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    public ErrorType errorType() {
        return errorType;
    }

    public boolean isRetryable() {
        return errorType.isRetryable();
    }
}

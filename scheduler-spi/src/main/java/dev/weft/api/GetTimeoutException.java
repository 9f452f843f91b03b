package dev.weft.api;

/** {@code get} gave up waiting before the object was ready. */
public class GetTimeoutException extends WeftException {
    public GetTimeoutException(String message) {
        super(ErrorType.CANCELLED, message);
    }

    public GetTimeoutException(String message, Throwable cause) {
        super(ErrorType.CANCELLED, message, cause);
    }
}

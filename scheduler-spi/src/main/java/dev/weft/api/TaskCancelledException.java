package dev.weft.api;

/** The task producing an object was cancelled by {@code Weft.cancel}. */
public class TaskCancelledException extends WeftException {
    public TaskCancelledException(String message) {
        super(ErrorType.CANCELLED, message);
    }

    public TaskCancelledException(String message, Throwable cause) {
        super(ErrorType.CANCELLED, message, cause);
    }
}

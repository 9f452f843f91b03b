package dev.weft.api;

/** An object's every copy is gone and it cannot be rebuilt (a {@code put} object, or lineage exhausted). */
public class ObjectLostException extends WeftException {
    public ObjectLostException(String message) {
        super(ErrorType.SYSTEM_FAILURE, message);
    }

    public ObjectLostException(String message, Throwable cause) {
        super(ErrorType.SYSTEM_FAILURE, message, cause);
    }
}

package dev.weft.api;

/** An object cannot fit in the object store, now or after waiting; the message names the sizes. */
public class ObjectStoreFullException extends WeftException {
    public ObjectStoreFullException(String message) {
        super(ErrorType.INSUFFICIENT_RESOURCES, message);
    }

    public ObjectStoreFullException(String message, Throwable cause) {
        super(ErrorType.INSUFFICIENT_RESOURCES, message, cause);
    }
}

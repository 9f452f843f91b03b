package dev.weft.api;

/** A value or function could not be serialized or deserialized; the message names the class at fault. */
public class SerializationException extends WeftException {
    public SerializationException(String message) {
        super(ErrorType.USER_ERROR, message);
    }

    public SerializationException(String message, Throwable cause) {
        super(ErrorType.USER_ERROR, message, cause);
    }
}

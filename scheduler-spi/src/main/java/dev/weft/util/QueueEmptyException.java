package dev.weft.util;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/** A {@link Queue} had no item to give within the time allowed (at once, for the {@code Nowait} forms). */
public class QueueEmptyException extends WeftException {
    public QueueEmptyException(String message) {
        super(ErrorType.CANCELLED, message);
    }
}

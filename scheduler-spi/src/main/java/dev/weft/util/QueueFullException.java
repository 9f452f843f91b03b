package dev.weft.util;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/** A {@link Queue} had no room for the item within the time allowed (at once, for the {@code Nowait} forms). */
public class QueueFullException extends WeftException {
    public QueueFullException(String message) {
        super(ErrorType.CANCELLED, message);
    }
}

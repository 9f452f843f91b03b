package dev.weft.train;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/**
 * Training could not start or did not finish: bad input (a missing or non-numeric column, bad options), a worker's
 * XGBoost error, or workers that died more often than the trainer may restart. The message names the column, the
 * option or the worker's rank.
 */
public final class TrainingException extends WeftException {
    TrainingException(ErrorType type, String message, Throwable cause) {
        super(type, message, cause);
    }

    static TrainingException user(String message) {
        return new TrainingException(ErrorType.USER_ERROR, message, null);
    }
}

package dev.weft.connectors;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/** Files of one read disagree on a column's type (or, without schema merging, on the set of columns). */
public final class SchemaMismatchException extends WeftException {
    public SchemaMismatchException(String message) {
        super(ErrorType.USER_ERROR, message);
    }
}

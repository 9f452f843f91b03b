package dev.weft.connectors;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/** A read path does not exist, a glob matches nothing, or a directory holds no data files. Not retryable. */
public final class InputNotFoundException extends WeftException {
    private final String path;

    public InputNotFoundException(String path, String message) {
        super(ErrorType.USER_ERROR, message);
        this.path = path;
    }

    /** The path, directory or glob as the user gave it. */
    public String path() {
        return path;
    }
}

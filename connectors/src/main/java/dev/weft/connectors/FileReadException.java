package dev.weft.connectors;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/**
 * A file could not be read: unreadable, corrupt (a Parquet footer or row group), or holding a value that does not
 * fit the schema (a CSV cell, a JSON line). The message names the file and the place in it. With
 * {@code ignoreCorruptFiles} such files are skipped and counted instead of failing the read.
 */
public final class FileReadException extends WeftException {
    private final String path;
    private final String location;

    public FileReadException(String path, String location, String problem, Throwable cause) {
        super(ErrorType.USER_ERROR, message(path, location, problem), cause);
        this.path = path;
        this.location = location;
    }

    private static String message(String path, String location, String problem) {
        return "cannot read " + path + (location == null || location.isEmpty() ? "" : " at " + location) + ": " + problem;
    }

    /** The file. */
    public String path() {
        return path;
    }

    /** Where in the file ("footer", "row group 2 of 4, column 'x'", "line 17, column 'price'"), or empty. */
    public String location() {
        return location == null ? "" : location;
    }
}

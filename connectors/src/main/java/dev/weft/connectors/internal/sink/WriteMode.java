package dev.weft.connectors.internal.sink;

import java.util.Locale;

/** What a write does when the target directory already exists with files in it. */
public enum WriteMode {
    /** Fail before writing anything (the default). */
    ERROR,
    /** Replace the directory's contents on commit. */
    OVERWRITE,
    /** Add the new files next to the existing ones on commit. */
    APPEND;

    public static WriteMode parse(String s) {
        try {
            return valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option 'mode' must be error, overwrite or append, got '" + s + "'");
        }
    }
}

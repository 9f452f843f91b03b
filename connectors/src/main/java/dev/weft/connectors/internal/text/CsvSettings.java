package dev.weft.connectors.internal.text;

import java.io.Serializable;

/**
 * CSV dialect: field delimiter, quote character, whether each file starts with a header row, the text that
 * means null (besides an empty field) and how many rows schema inference samples.
 */
public record CsvSettings(char delimiter, char quote, boolean header, String nullValue, int inferRows)
        implements Serializable {
    public CsvSettings {
        if (delimiter == quote) {
            throw new IllegalArgumentException("CSV delimiter and quote must differ, both are '" + delimiter + "'");
        }
        if (inferRows <= 0) {
            throw new IllegalArgumentException("inferRows must be positive, got " + inferRows);
        }
    }

    boolean isNull(String s) {
        return s == null || s.isEmpty() || s.equals(nullValue);
    }
}

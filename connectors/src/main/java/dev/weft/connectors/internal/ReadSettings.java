package dev.weft.connectors.internal;

import java.io.Serializable;

/**
 * How a read task decodes: rows per batch, a row limit ({@code Long.MAX_VALUE} for none) and whether corrupt
 * files are skipped and counted instead of failing the read.
 */
public record ReadSettings(int batchRows, long limit, boolean ignoreCorruptFiles) implements Serializable {
    public static final int DEFAULT_BATCH_ROWS = 65_536;

    public ReadSettings {
        if (batchRows <= 0) {
            throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    public static ReadSettings defaults() {
        return new ReadSettings(DEFAULT_BATCH_ROWS, Long.MAX_VALUE, false);
    }

    public ReadSettings withLimit(long newLimit) {
        return new ReadSettings(batchRows, newLimit, ignoreCorruptFiles);
    }
}

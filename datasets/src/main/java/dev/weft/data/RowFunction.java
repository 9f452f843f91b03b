package dev.weft.data;

import java.io.Serializable;

/** A row-to-row function for {@link Dataset#map}; serializable because it runs in remote tasks. */
@FunctionalInterface
public interface RowFunction extends Serializable {
    Row apply(Row row) throws Exception;
}

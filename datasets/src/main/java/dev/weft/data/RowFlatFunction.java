package dev.weft.data;

import java.io.Serializable;

/** A row-to-rows function for {@link Dataset#flatMap}; serializable because it runs in remote tasks. */
@FunctionalInterface
public interface RowFlatFunction extends Serializable {
    Iterable<Row> apply(Row row) throws Exception;
}

package dev.weft.data;

import java.io.Serializable;

/** A row filter for {@link Dataset#filter(RowPredicate)}; serializable because it runs in remote tasks. */
@FunctionalInterface
public interface RowPredicate extends Serializable {
    boolean test(Row row) throws Exception;
}

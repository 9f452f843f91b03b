package dev.weft.data;

import java.util.List;

/** A {@link Datasource} that can read only some columns. */
public interface SupportsProjectionPushdown extends Datasource {
    /**
     * A source yielding exactly {@code columns}, in that order. The optimizer only asks for columns that
     * exist (a missing one is an {@link IllegalArgumentException} naming it).
     */
    Datasource withColumns(List<String> columns);
}

package dev.weft.data;

/** A {@link Datasource} that can stop reading early. */
public interface SupportsLimitPushdown extends Datasource {
    /**
     * A source whose read tasks together need not yield more than {@code limit} rows (each task may stop
     * after {@code limit} rows; the engine still applies the exact limit across tasks).
     */
    Datasource withLimit(long limit);
}

package dev.weft.bench.data;

import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes the current row's fields into a Parquet {@link RecordConsumer}. A generator keeps one mutable emitter per
 * file, advances it to the next row and hands it to the writer, so no object is built per row.
 */
interface RowEmitter {

    /** Emits the fields of the current row, between the writer's start and end of the message. */
    void emitFields(RecordConsumer consumer);
}

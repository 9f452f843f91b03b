package dev.weft.bench.data;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** A parquet-mr write support that writes whatever the given {@link RowEmitter} emits for each record. */
final class RowEmitterWriteSupport extends WriteSupport<RowEmitter> {

    private final MessageType schema;
    private RecordConsumer consumer;

    RowEmitterWriteSupport(MessageType schema) {
        this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, Map.of("writer", "weft-benchmarks data generator"));
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, Map.of("writer", "weft-benchmarks data generator"));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(RowEmitter row) {
        consumer.startMessage();
        row.emitFields(consumer);
        consumer.endMessage();
    }
}

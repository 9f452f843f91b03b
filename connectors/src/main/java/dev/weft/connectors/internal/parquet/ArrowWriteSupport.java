package dev.weft.connectors.internal.parquet;

import java.util.HashMap;
import java.util.List;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Feeds rows of Arrow batches to parquet-mr's column writers. A "record" is a cursor naming the current batch and
 * row, so no row objects are built; each column has a precomputed value writer. Not thread-safe.
 */
final class ArrowWriteSupport extends WriteSupport<ArrowWriteSupport.Cursor> {
    /** The batch and row being written. */
    static final class Cursor {
        VectorSchemaRoot batch;
        int row;
    }

    @FunctionalInterface
    interface ValueWriter {
        void write(FieldVector v, int row, RecordConsumer rc);
    }

    private final Schema schema;
    private final MessageType parquetSchema;
    private final ValueWriter[] writers;
    private final String[] names;
    private RecordConsumer consumer;

    ArrowWriteSupport(Schema schema) {
        this.schema = schema;
        this.parquetSchema = ParquetSchemas.toParquet(schema);
        List<org.apache.arrow.vector.types.pojo.Field> fields = schema.getFields();
        this.writers = new ValueWriter[fields.size()];
        this.names = new String[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            names[i] = fields.get(i).getName();
            writers[i] = writerFor(fields.get(i).getType());
        }
    }

    MessageType parquetSchema() {
        return parquetSchema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
        HashMap<String, String> meta = new HashMap<>();
        meta.put("weft.arrow.schema", schema.toJson());
        return new WriteContext(parquetSchema, meta);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(Cursor c) {
        RecordConsumer rc = consumer;
        rc.startMessage();
        List<FieldVector> vectors = c.batch.getFieldVectors();
        for (int i = 0; i < writers.length; i++) {
            FieldVector v = vectors.get(i);
            if (v.isNull(c.row)) {
                continue;
            }
            rc.startField(names[i], i);
            writers[i].write(v, c.row, rc);
            rc.endField(names[i], i);
        }
        rc.endMessage();
    }

    /**
     * utf8 and binary values through one scratch array per column instead of a new array per value: parquet-mr
     * copies a {@code fromReusedByteArray} value wherever it keeps it (dictionary, statistics) and encodes it right
     * away elsewhere.
     */
    private static final class VariableWidthWriter implements ValueWriter {
        private byte[] scratch = new byte[64];

        @Override
        public void write(FieldVector v, int row, RecordConsumer rc) {
            org.apache.arrow.vector.BaseVariableWidthVector vector = (org.apache.arrow.vector.BaseVariableWidthVector) v;
            int start = vector.getStartOffset(row);
            int len = vector.getValueLength(row);
            if (scratch.length < len) {
                scratch = new byte[Math.max(len, 2 * scratch.length)];
            }
            vector.getDataBuffer().getBytes(start, scratch, 0, len);
            rc.addBinary(Binary.fromReusedByteArray(scratch, 0, len));
        }
    }

    private static ValueWriter writerFor(ArrowType t) {
        return switch (t) {
            case ArrowType.Bool ignored -> (v, r, rc) -> rc.addBoolean(((BitVector) v).get(r) != 0);
            case ArrowType.Int i -> i.getBitWidth() == 64
                    ? (v, r, rc) -> rc.addLong(((BaseIntVector) v).getValueAsLong(r))
                    : (v, r, rc) -> rc.addInteger((int) ((BaseIntVector) v).getValueAsLong(r));
            case ArrowType.FloatingPoint fp -> fp.getPrecision() == org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE
                    ? (v, r, rc) -> rc.addFloat(((Float4Vector) v).get(r))
                    : (v, r, rc) -> rc.addDouble(((Float8Vector) v).get(r));
            case ArrowType.Utf8 ignored -> new VariableWidthWriter();
            case ArrowType.Binary ignored -> new VariableWidthWriter();
            case ArrowType.FixedSizeBinary ignored -> (v, r, rc) -> rc.addBinary(
                    Binary.fromConstantByteArray(((FixedSizeBinaryVector) v).get(r)));
            case ArrowType.Date d -> d.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY
                    ? (v, r, rc) -> rc.addInteger(((DateDayVector) v).get(r))
                    : (v, r, rc) -> rc.addInteger((int) Math.floorDiv(((DateMilliVector) v).get(r), 86_400_000L));
            case ArrowType.Time tm -> switch (tm.getUnit()) {
                case SECOND -> (v, r, rc) -> rc.addInteger(((TimeSecVector) v).get(r) * 1000);
                case MILLISECOND -> (v, r, rc) -> rc.addInteger(((TimeMilliVector) v).get(r));
                case MICROSECOND -> (v, r, rc) -> rc.addLong(((TimeMicroVector) v).get(r));
                case NANOSECOND -> (v, r, rc) -> rc.addLong(((TimeNanoVector) v).get(r));
            };
            case ArrowType.Timestamp ts -> ts.getUnit() == TimeUnit.SECOND
                    ? (v, r, rc) -> rc.addLong(((TimeStampVector) v).get(r) * 1000)
                    : (v, r, rc) -> rc.addLong(((TimeStampVector) v).get(r));
            case ArrowType.Decimal d -> d.getPrecision() <= 18
                    ? (v, r, rc) -> rc.addLong(((DecimalVector) v).getObject(r).unscaledValue().longValueExact())
                    : (v, r, rc) -> rc.addBinary(Binary.fromConstantByteArray(bigEndian16((DecimalVector) v, r)));
            default -> throw new IllegalArgumentException("Arrow type " + t + " cannot be written to Parquet");
        };
    }

    private static byte[] bigEndian16(BaseFixedWidthVector v, int row) {
        byte[] le = new byte[16];
        v.getDataBuffer().getBytes((long) row * 16, le);
        byte[] be = new byte[16];
        for (int i = 0; i < 16; i++) {
            be[i] = le[15 - i];
        }
        return be;
    }
}

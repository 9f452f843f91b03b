package dev.weft.connectors.internal.parquet;

import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decoders that convert each value (narrow or unsigned integers, decimals, INT96 timestamps, fixed-length
 * binaries). These types are rare in analytic scans, so they go value by value through parquet-mr's readers.
 */
final class ConvertingDecoders {
    private ConvertingDecoders() {}

    /** Stores one integer value into row {@code index}. */
    @FunctionalInterface
    interface LongSetter {
        void set(FieldVector v, int index, long value);
    }

    /** Stores one binary value into row {@code index}. */
    @FunctionalInterface
    interface BinarySetter {
        void set(FieldVector v, int index, Binary value);
    }

    static final LongSetter TINY = (v, i, x) -> ((TinyIntVector) v).set(i, (byte) x);
    static final LongSetter SMALL = (v, i, x) -> ((SmallIntVector) v).set(i, (short) x);
    static final LongSetter INT = (v, i, x) -> ((IntVector) v).set(i, (int) x);
    static final LongSetter BIG = (v, i, x) -> ((BigIntVector) v).set(i, x);
    static final LongSetter DECIMAL_UNSCALED = (v, i, x) -> ((DecimalVector) v).set(i, x);
    static final BinarySetter FIXED = (v, i, b) -> ((FixedSizeBinaryVector) v).set(i, b.getBytes());
    static final BinarySetter DECIMAL_BYTES = (v, i, b) -> ((DecimalVector) v).setBigEndian(i, b.getBytes());
    static final BinarySetter INT96_NANOS = (v, i, b) -> ((TimeStampVector) v).set(i, int96ToEpochNanos(b));

    private static final long JULIAN_EPOCH_DAY = 2_440_588L;
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    static long int96ToEpochNanos(Binary b) {
        java.nio.ByteBuffer buf = b.toByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buf.getLong(buf.position());
        int julianDay = buf.getInt(buf.position() + 8);
        return (julianDay - JULIAN_EPOCH_DAY) * NANOS_PER_DAY + nanosOfDay;
    }

    /** INT32 or INT64 values converted by a {@link LongSetter}; {@code mask} clears sign bits of unsigned values. */
    static final class Integral extends ColumnChunkDecoder {
        private final LongSetter setter;
        private final long mask;
        private final boolean int64;
        private long[] dict;

        Integral(ColumnDescriptor d, PageReader pages, LongSetter setter, long mask) {
            super(d, pages);
            this.setter = setter;
            this.mask = mask;
            this.int64 = d.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64;
        }

        @Override
        void loadDictionary(Dictionary dictionary) {
            boolean i64 = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64;
            dict = new long[dictionary.getMaxId() + 1];
            for (int i = 0; i < dict.length; i++) {
                dict[i] = i64 ? dictionary.decodeToLong(i) : dictionary.decodeToInt(i);
            }
        }

        @Override
        boolean readsPlain() {
            return false;
        }

        @Override
        void readValues(FieldVector vector, int at, int n) {
            if (mode == Mode.DICTIONARY) {
                int[] id = nextIds(n);
                for (int i = 0; i < n; i++) {
                    setter.set(vector, at + i, dict[id[i]] & mask);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    long x = int64 ? reader.readLong() : reader.readInteger();
                    setter.set(vector, at + i, x & mask);
                }
            }
        }
    }

    /** BINARY, FIXED_LEN_BYTE_ARRAY or INT96 values converted by a {@link BinarySetter}. */
    static final class Bytes extends ColumnChunkDecoder {
        private final BinarySetter setter;
        private Binary[] dict;

        Bytes(ColumnDescriptor d, PageReader pages, BinarySetter setter) {
            super(d, pages);
            this.setter = setter;
        }

        @Override
        void loadDictionary(Dictionary dictionary) {
            dict = new Binary[dictionary.getMaxId() + 1];
            for (int i = 0; i < dict.length; i++) {
                dict[i] = dictionary.decodeToBinary(i);
            }
        }

        @Override
        boolean readsPlain() {
            return false;
        }

        @Override
        void readValues(FieldVector vector, int at, int n) {
            if (mode == Mode.DICTIONARY) {
                int[] id = nextIds(n);
                for (int i = 0; i < n; i++) {
                    setter.set(vector, at + i, dict[id[i]]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    setter.set(vector, at + i, reader.readBytes());
                }
            }
        }
    }
}

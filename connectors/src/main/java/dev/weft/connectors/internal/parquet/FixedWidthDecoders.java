package dev.weft.connectors.internal.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decoders for 4- and 8-byte values whose Parquet bits are the Arrow bits (INT32, FLOAT, INT64, DOUBLE into
 * Int/Date/TimeMilli/Float4 and BigInt/Timestamp/Time64/Float8 vectors): PLAIN pages are one memory copy.
 */
final class FixedWidthDecoders {
    private FixedWidthDecoders() {}

    /** INT32 or FLOAT into a 4-byte vector. */
    static final class Fixed4 extends ColumnChunkDecoder {
        private final boolean isFloat;
        private int[] dict;

        Fixed4(ColumnDescriptor d, PageReader pages) {
            super(d, pages);
            this.isFloat = d.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
        }

        @Override
        void loadDictionary(Dictionary dictionary) {
            dict = new int[dictionary.getMaxId() + 1];
            boolean f = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
            for (int i = 0; i < dict.length; i++) {
                dict[i] = f ? Float.floatToRawIntBits(dictionary.decodeToFloat(i)) : dictionary.decodeToInt(i);
            }
        }

        @Override
        boolean readsPlain() {
            return true;
        }

        @Override
        void readValues(FieldVector vector, int at, int n) {
            ArrowBuf data = vector.getDataBuffer();
            switch (mode) {
                case PLAIN -> {
                    data.setBytes((long) at << 2, page, pos, n << 2);
                    pos += n << 2;
                }
                case DICTIONARY -> {
                    int[] id = nextIds(n);
                    int[] d = dict;
                    for (int i = 0; i < n; i++) {
                        data.setInt((long) (at + i) << 2, d[id[i]]);
                    }
                }
                case READER -> {
                    for (int i = 0; i < n; i++) {
                        int v = isFloat ? Float.floatToRawIntBits(reader.readFloat()) : reader.readInteger();
                        data.setInt((long) (at + i) << 2, v);
                    }
                }
            }
        }
    }

    /** INT64 or DOUBLE into an 8-byte vector. */
    static final class Fixed8 extends ColumnChunkDecoder {
        private final boolean isDouble;
        private long[] dict;

        Fixed8(ColumnDescriptor d, PageReader pages) {
            super(d, pages);
            this.isDouble = d.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE;
        }

        @Override
        void loadDictionary(Dictionary dictionary) {
            dict = new long[dictionary.getMaxId() + 1];
            boolean dbl = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE;
            for (int i = 0; i < dict.length; i++) {
                dict[i] = dbl ? Double.doubleToRawLongBits(dictionary.decodeToDouble(i)) : dictionary.decodeToLong(i);
            }
        }

        @Override
        boolean readsPlain() {
            return true;
        }

        @Override
        void readValues(FieldVector vector, int at, int n) {
            ArrowBuf data = vector.getDataBuffer();
            switch (mode) {
                case PLAIN -> {
                    data.setBytes((long) at << 3, page, pos, n << 3);
                    pos += n << 3;
                }
                case DICTIONARY -> {
                    int[] id = nextIds(n);
                    long[] d = dict;
                    for (int i = 0; i < n; i++) {
                        data.setLong((long) (at + i) << 3, d[id[i]]);
                    }
                }
                case READER -> {
                    for (int i = 0; i < n; i++) {
                        long v = isDouble ? Double.doubleToRawLongBits(reader.readDouble()) : reader.readLong();
                        data.setLong((long) (at + i) << 3, v);
                    }
                }
            }
        }
    }
}

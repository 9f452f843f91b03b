package dev.weft.connectors.internal.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.io.api.Binary;

/**
 * BINARY into a VarChar or VarBinary vector, writing the offset and data buffers directly (no per-value
 * {@code setSafe}); the data buffer doubles when full.
 */
final class BinaryDecoder extends ColumnChunkDecoder {
    private byte[][] dict;
    private int dataEnd;

    BinaryDecoder(ColumnDescriptor d, PageReader pages) {
        super(d, pages);
    }

    @Override
    void loadDictionary(Dictionary dictionary) {
        dict = new byte[dictionary.getMaxId() + 1][];
        for (int i = 0; i < dict.length; i++) {
            dict[i] = dictionary.decodeToBinary(i).getBytes();
        }
    }

    @Override
    boolean readsPlain() {
        return true;
    }

    @Override
    void begin(FieldVector vector, int rows) {
        dataEnd = 0;
        vector.getOffsetBuffer().setInt(0, 0);
    }

    private ArrowBuf ensure(BaseVariableWidthVector v, int more) {
        long need = (long) dataEnd + more;
        if (need > Integer.MAX_VALUE) {
            throw new IllegalStateException("column " + String.join(".", descriptor.getPath())
                    + ": a batch holds more than 2 GiB of bytes; use a smaller batch size");
        }
        ArrowBuf data = v.getDataBuffer();
        if (data.capacity() < need) {
            v.reallocDataBuffer(Math.max(need, data.capacity() * 2));
            data = v.getDataBuffer();
        }
        return data;
    }

    @Override
    void readValues(FieldVector vector, int at, int n) {
        BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
        ArrowBuf offsets = v.getOffsetBuffer();
        switch (mode) {
            case PLAIN -> {
                for (int i = 0; i < n; i++) {
                    int len = page.getInt(pos);
                    ArrowBuf data = ensure(v, len);
                    data.setBytes(dataEnd, page, pos + 4, len);
                    pos += 4 + len;
                    dataEnd += len;
                    offsets.setInt((long) (at + i + 1) << 2, dataEnd);
                }
            }
            case DICTIONARY -> {
                int[] id = nextIds(n);
                for (int i = 0; i < n; i++) {
                    byte[] b = dict[id[i]];
                    ArrowBuf data = ensure(v, b.length);
                    data.setBytes(dataEnd, b, 0, b.length);
                    dataEnd += b.length;
                    offsets.setInt((long) (at + i + 1) << 2, dataEnd);
                }
            }
            case READER -> {
                for (int i = 0; i < n; i++) {
                    Binary b = reader.readBytes();
                    int len = b.length();
                    ArrowBuf data = ensure(v, len);
                    data.setBytes(dataEnd, b.toByteBuffer());
                    dataEnd += len;
                    offsets.setInt((long) (at + i + 1) << 2, dataEnd);
                }
            }
        }
    }

    @Override
    void nulls(FieldVector vector, int at, int n) {
        ArrowBuf offsets = vector.getOffsetBuffer();
        for (int i = 0; i < n; i++) {
            offsets.setInt((long) (at + i + 1) << 2, dataEnd);
        }
    }

    @Override
    void end(FieldVector vector, int rows) {
        BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
        v.setLastSet(rows - 1);
        v.setValueCount(rows);
    }
}

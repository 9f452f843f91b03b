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
                if (page.hasArray()) {
                    readPlainRun(v, at, n);
                    return;
                }
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

    private int[] ends = new int[0];

    /**
     * A run of PLAIN values from a heap page: one pass finds the value ends, one capacity check, then each value
     * is copied with a bounds-check-free segment copy and the offsets are stored in one bulk copy.
     */
    private void readPlainRun(BaseVariableWidthVector v, int at, int n) {
        byte[] src = page.array();
        int base = page.arrayOffset();
        if (ends.length < n) {
            ends = new int[Math.max(n, 1024)];
        }
        int p = pos;
        int end = dataEnd;
        for (int i = 0; i < n; i++) {
            int len = page.getInt(p);
            if (len < 0 || p + 4 + len > page.limit()) {
                throw new org.apache.parquet.io.ParquetDecodingException("column " + String.join(".", descriptor.getPath())
                        + ": value length " + len + " at page byte " + p + " runs past the page (" + page.limit() + " bytes)");
            }
            p += 4 + len;
            end += len;
            ends[i] = end;
        }
        ArrowBuf data = ensure(v, end - dataEnd);
        java.lang.foreign.MemorySegment dst = java.lang.foreign.MemorySegment.ofAddress(data.memoryAddress())
                .reinterpret(data.capacity());
        p = pos;
        int d = dataEnd;
        for (int i = 0; i < n; i++) {
            int len = ends[i] - d;
            java.lang.foreign.MemorySegment.copy(src, base + p + 4, dst, java.lang.foreign.ValueLayout.JAVA_BYTE, d, len);
            p += 4 + len;
            d = ends[i];
        }
        ArrowBuf offsets = v.getOffsetBuffer();
        java.lang.foreign.MemorySegment off = java.lang.foreign.MemorySegment.ofAddress(offsets.memoryAddress())
                .reinterpret(offsets.capacity());
        java.lang.foreign.MemorySegment.copy(ends, 0, off, java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED,
                (long) (at + 1) << 2, n);
        pos = p;
        dataEnd = end;
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

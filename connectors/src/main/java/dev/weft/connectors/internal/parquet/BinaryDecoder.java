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

    /** Average value bytes of the column chunk (from its metadata), to size a batch's data buffer once. */
    private double bytesPerValue;

    void bytesPerValueHint(double bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    @Override
    void begin(FieldVector vector, int rows) {
        dataEnd = 0;
        vector.getOffsetBuffer().setInt(0, 0);
        // Growing by doubling from Arrow's default of a few bytes per value copies a 64-byte column three times.
        long want = (long) Math.ceil(bytesPerValue * rows * 1.02);
        BaseVariableWidthVector v = (BaseVariableWidthVector) vector;
        if (want > v.getDataBuffer().capacity() && want < Integer.MAX_VALUE) {
            v.reallocDataBuffer(want);
        }
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

    private static final java.lang.invoke.VarHandle INT_LE = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * All of the address space, made once: {@code reinterpret} is caller-sensitive and, not inlined, walks the stack
     * on every call; {@code asSlice} of this segment makes the same views without that check.
     */
    private static final java.lang.foreign.MemorySegment ALL =
            java.lang.foreign.MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private int[] ends = new int[0];
    private byte[] stage = new byte[0];

    /**
     * A run of PLAIN values from a heap page in one pass: each value's bytes are gathered with
     * {@code System.arraycopy} (an intrinsic, cheap for short values) into a heap stage, then the stage goes to
     * the data buffer and the offsets to the offset buffer in one bulk copy each — rather than one native copy
     * per value, whose fixed cost dominates for short strings.
     */
    private void readPlainRun(BaseVariableWidthVector v, int at, int n) {
        byte[] src = page.array();
        int base = page.arrayOffset();
        int limit = page.limit();
        if (ends.length < n) {
            ends = new int[Math.max(n, 1024)];
        }
        int p = pos;
        int s = 0;
        for (int i = 0; i < n; i++) {
            if (p + 4 > limit) {
                throw new org.apache.parquet.io.ParquetDecodingException("column " + String.join(".", descriptor.getPath())
                        + ": value " + i + " of the run starts at page byte " + p + ", past the page (" + limit + " bytes)");
            }
            // straight from the page's array (little-endian, as PLAIN lengths are): no per-value ByteBuffer index check
            int len = (int) INT_LE.get(src, base + p);
            if (len < 0 || p + 4 + len > limit) {
                throw new org.apache.parquet.io.ParquetDecodingException("column " + String.join(".", descriptor.getPath())
                        + ": value length " + len + " at page byte " + p + " runs past the page (" + limit + " bytes)");
            }
            if (stage.length - s < len) {
                stage = java.util.Arrays.copyOf(stage, Math.max(s + len, Math.max(1024, stage.length * 2)));
            }
            System.arraycopy(src, base + p + 4, stage, s, len);
            p += 4 + len;
            s += len;
            ends[i] = dataEnd + s;
        }
        ArrowBuf data = ensure(v, s);
        java.lang.foreign.MemorySegment dst = ALL.asSlice(data.memoryAddress(), data.capacity());
        java.lang.foreign.MemorySegment.copy(stage, 0, dst, java.lang.foreign.ValueLayout.JAVA_BYTE, dataEnd, s);
        ArrowBuf offsets = v.getOffsetBuffer();
        java.lang.foreign.MemorySegment off = ALL.asSlice(offsets.memoryAddress(), offsets.capacity());
        java.lang.foreign.MemorySegment.copy(ends, 0, off, java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED,
                (long) (at + 1) << 2, n);
        pos = p;
        dataEnd += s;
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

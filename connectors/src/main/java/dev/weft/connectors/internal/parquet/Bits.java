package dev.weft.connectors.internal.parquet;

import org.apache.arrow.memory.ArrowBuf;

/** Arrow validity bitmap helpers that set whole ranges at once. */
final class Bits {
    private Bits() {}

    /** Sets bits {@code [from, from + n)} of {@code buf} to one. */
    static void setRange(ArrowBuf buf, int from, int n) {
        int i = from;
        int end = from + n;
        while (i < end && (i & 7) != 0) {
            setBit(buf, i++);
        }
        int fullBytes = (end - i) >>> 3;
        if (fullBytes > 0) {
            buf.setOne((long) (i >>> 3), (long) fullBytes);
            i += fullBytes << 3;
        }
        while (i < end) {
            setBit(buf, i++);
        }
    }

    static void setBit(ArrowBuf buf, int i) {
        long byteIndex = i >>> 3;
        buf.setByte(byteIndex, buf.getByte(byteIndex) | (1 << (i & 7)));
    }
}

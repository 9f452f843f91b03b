package dev.weft.engine.internal.cluster;

import dev.weft.api.SerializationException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@code byte[]} and primitive arrays between JVMs: their bytes as they lie in memory (little-endian) behind an
 * 8-byte header (a marker no Fory stream starts with, see {@link ClusterArrow}, and the element type), so a large
 * array is one copy in and one copy out, with no serializer graph limits and no per-element work.
 */
final class ClusterArrays {
    static final int HEADER = 8;
    private static final byte M0 = (byte) 0xFF;
    private static final byte M1 = 'W';
    private static final byte M2 = 'R';
    private static final byte BYTES = 1;
    private static final byte LONGS = 2;
    private static final byte INTS = 3;
    private static final byte DOUBLES = 4;
    private static final byte FLOATS = 5;
    private static final byte SHORTS = 6;
    private static final byte CHARS = 7;
    private static final ValueLayout.OfLong L_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt L_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble L_DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat L_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort L_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfChar L_CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ClusterArrays() {
    }

    /** The wire image of {@code value} if it is a {@code byte[]} or an array of a numeric primitive, else null. */
    static byte[] encode(Object value) {
        return switch (value) {
            case byte[] a -> image(BYTES, a, ValueLayout.JAVA_BYTE, a.length);
            case long[] a -> image(LONGS, a, L_LONG, a.length);
            case int[] a -> image(INTS, a, L_INT, a.length);
            case double[] a -> image(DOUBLES, a, L_DOUBLE, a.length);
            case float[] a -> image(FLOATS, a, L_FLOAT, a.length);
            case short[] a -> image(SHORTS, a, L_SHORT, a.length);
            case char[] a -> image(CHARS, a, L_CHAR, a.length);
            case null, default -> null;
        };
    }

    private static byte[] image(byte type, Object array, ValueLayout layout, int length) {
        long bytes = layout.byteSize() * length;
        long size = HEADER + bytes;
        if (size > Integer.MAX_VALUE - 8) {
            throw new SerializationException("an array of " + bytes + " bytes is too large to send as one"
                    + " object (the limit is " + (Integer.MAX_VALUE - 8 - HEADER) + " bytes): split it");
        }
        byte[] out = new byte[(int) size];
        out[0] = M0;
        out[1] = M1;
        out[2] = M2;
        out[3] = type;
        MemorySegment.copy(array, 0, MemorySegment.ofArray(out), layout, HEADER, length);
        return out;
    }

    static boolean isArray(byte[] bytes) {
        return bytes.length >= HEADER && bytes[0] == M0 && bytes[1] == M1 && bytes[2] == M2;
    }

    static Object decode(byte[] bytes) {
        MemorySegment data = MemorySegment.ofArray(bytes).asSlice(HEADER);
        return switch (bytes[3]) {
            case BYTES -> data.toArray(ValueLayout.JAVA_BYTE);
            case LONGS -> data.toArray(L_LONG);
            case INTS -> data.toArray(L_INT);
            case DOUBLES -> data.toArray(L_DOUBLE);
            case FLOATS -> data.toArray(L_FLOAT);
            case SHORTS -> data.toArray(L_SHORT);
            case CHARS -> data.toArray(L_CHAR);
            default -> throw new SerializationException("unknown array type " + bytes[3] + " in an object of "
                    + bytes.length + " bytes (a peer of another version?)");
        };
    }
}

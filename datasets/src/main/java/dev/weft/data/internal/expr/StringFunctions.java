package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.internal.arrow.Segments;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/** String functions over UTF-8 columns; ASCII rows are handled on the bytes without decoding. */
final class StringFunctions {
    private StringFunctions() {
    }

    static Val apply(Expr.StringFunction f, Val x, BufferAllocator alloc, int n) {
        if (!x.isNullScalar() && x.type() != DataType.STRING) {
            throw new IllegalArgumentException(f.kind().name().toLowerCase(Locale.ROOT) + " needs a string operand: " + f
                    + " has an operand of type " + x.type());
        }
        if (x.isScalar()) {
            String s = (String) x.scalar();
            if (s == null) {
                return Val.scalar(null, f.kind() == Expr.StringFunction.Kind.LENGTH ? DataType.INT32 : DataType.STRING);
            }
            return switch (f.kind()) {
                case UPPER -> Val.scalar(s.toUpperCase(Locale.ROOT), DataType.STRING);
                case LOWER -> Val.scalar(s.toLowerCase(Locale.ROOT), DataType.STRING);
                case LENGTH -> Val.scalar(s.codePointCount(0, s.length()), DataType.INT32);
                case SUBSTR -> Val.scalar(substring(s, f.start(), f.count()), DataType.STRING);
                case TRIM -> Val.scalar(trim(s, true, true), DataType.STRING);
                case LTRIM -> Val.scalar(trim(s, true, false), DataType.STRING);
                case RTRIM -> Val.scalar(trim(s, false, true), DataType.STRING);
            };
        }
        VarCharVector in = (VarCharVector) x.vector();
        ArrowBuf data = in.getDataBuffer();
        ArrowBuf offsets = in.getOffsetBuffer();
        if (f.kind() == Expr.StringFunction.Kind.LENGTH) {
            IntVector out = new IntVector("expr", alloc);
            out.allocateNew(n);
            boolean[] nulls = Nulls.of(x, n);
            for (int i = 0; i < n; i++) {
                int s = offsets.getInt((long) i * 4);
                int e = offsets.getInt((long) (i + 1) * 4);
                int count = 0;
                for (int p = s; p < e; p++) {
                    if ((data.getByte(p) & 0xC0) != 0x80) {
                        count++;
                    }
                }
                out.getDataBuffer().setInt((long) i * 4, count);
            }
            Nulls.setValidity(out, n, nulls);
            return Val.of(out, true);
        }
        if (f.kind() == Expr.StringFunction.Kind.UPPER || f.kind() == Expr.StringFunction.Kind.LOWER) {
            VarCharVector ascii = asciiCase(in, f.kind() == Expr.StringFunction.Kind.UPPER, alloc, n);
            if (ascii != null) {
                return Val.of(ascii, true);
            }
        }
        VarCharVector out = new VarCharVector("expr", alloc);
        out.allocateNew(n == 0 ? 1 : Math.max(1, offsets.getInt((long) n * 4)), n);
        byte[] buf = new byte[64];
        for (int i = 0; i < n; i++) {
            if (in.isNull(i)) {
                out.setNull(i);
                continue;
            }
            int s = offsets.getInt((long) i * 4);
            int e = offsets.getInt((long) (i + 1) * 4);
            int len = e - s;
            if (buf.length < len) {
                buf = new byte[Math.max(len, buf.length * 2)];
            }
            data.getBytes(s, buf, 0, len);
            boolean ascii = true;
            for (int p = 0; p < len; p++) {
                if (buf[p] < 0) {
                    ascii = false;
                    break;
                }
            }
            switch (f.kind()) {
                case UPPER, LOWER -> {
                    if (ascii) {
                        boolean upper = f.kind() == Expr.StringFunction.Kind.UPPER;
                        for (int p = 0; p < len; p++) {
                            byte b = buf[p];
                            if (upper && b >= 'a' && b <= 'z') {
                                buf[p] = (byte) (b - 32);
                            } else if (!upper && b >= 'A' && b <= 'Z') {
                                buf[p] = (byte) (b + 32);
                            }
                        }
                        out.setSafe(i, buf, 0, len);
                    } else {
                        String str = new String(buf, 0, len, StandardCharsets.UTF_8);
                        str = upperOrLower(f.kind(), str);
                        out.setSafe(i, str.getBytes(StandardCharsets.UTF_8));
                    }
                }
                case SUBSTR -> {
                    if (ascii) {
                        int from = Math.min(f.start(), len);
                        int to = (int) Math.min((long) from + f.count(), len);
                        out.setSafe(i, buf, from, to - from);
                    } else {
                        String str = substring(new String(buf, 0, len, StandardCharsets.UTF_8), f.start(), f.count());
                        out.setSafe(i, str.getBytes(StandardCharsets.UTF_8));
                    }
                }
                case TRIM, LTRIM, RTRIM -> {
                    // Bytes up to ' ' are never part of a multi-byte UTF-8 character: trimmed on the bytes.
                    int from = 0;
                    int to = len;
                    if (f.kind() != Expr.StringFunction.Kind.RTRIM) {
                        while (from < to && (buf[from] & 0xFF) <= ' ') {
                            from++;
                        }
                    }
                    if (f.kind() != Expr.StringFunction.Kind.LTRIM) {
                        while (to > from && (buf[to - 1] & 0xFF) <= ' ') {
                            to--;
                        }
                    }
                    out.setSafe(i, buf, from, to - from);
                }
                case LENGTH -> throw new IllegalStateException("unreachable");
            }
        }
        out.setValueCount(n);
        return Val.of(out, true);
    }

    /**
     * Upper- or lower-cases a column whose bytes are all ASCII as one pass over its data buffer: case mapping
     * keeps every ASCII value's length, so offsets and validity are copied whole and only the bytes change.
     * Returns {@code null} (nothing allocated) when a non-ASCII byte is met, for the per-value path.
     */
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private static VarCharVector asciiCase(VarCharVector in, boolean upper, BufferAllocator alloc, int n) {
        if (n == 0) {
            return null;
        }
        ArrowBuf offsets = in.getOffsetBuffer();
        int first = offsets.getInt(0);
        int last = offsets.getInt((long) n * 4);
        int bytes = last - first;
        MemorySegment src = Segments.of(in.getDataBuffer());
        VarCharVector out = new VarCharVector("expr", alloc);
        boolean ok = false;
        try {
            out.allocateNew(Math.max(1, bytes), n);
            MemorySegment dst = Segments.of(out.getDataBuffer());
            // Eight bytes at a time (SWAR): a byte is a letter of the other case when adding (0x80 - lo) sets its
            // high bit but adding (0x80 - hi - 1) does not; its case bit (0x20) is then flipped. Any byte with the
            // high bit set is not ASCII: the caller falls back to the general path.
            long lows = 0x0101010101010101L;
            long addLo = (0x80 - (upper ? 'a' : 'A')) * lows;
            long addHi = (0x80 - (upper ? 'z' : 'Z') - 1) * lows;
            long high = 0x8080808080808080L;
            long seen = 0;
            int words = bytes >>> 3;
            for (int w = 0; w < words; w++) {
                long x = src.get(LONG_LE, (long) first + ((long) w << 3));
                seen |= x;
                long h = x & ~high;
                long letters = ((h + addLo) ^ (h + addHi)) & ~x & high;
                dst.set(LONG_LE, (long) w << 3, x ^ (letters >>> 2));
            }
            byte lo = upper ? (byte) 'a' : (byte) 'A';
            byte hi = upper ? (byte) 'z' : (byte) 'Z';
            int delta = upper ? -32 : 32;
            for (int p = words << 3; p < bytes; p++) {
                byte b = src.get(ValueLayout.JAVA_BYTE, (long) first + p);
                seen |= b;
                dst.set(ValueLayout.JAVA_BYTE, p, (byte) (b >= lo && b <= hi ? b + delta : b));
            }
            if ((seen & high) != 0) {
                return null;
            }
            MemorySegment inOff = Segments.of(offsets.memoryAddress(), (long) (n + 1) * 4);
            MemorySegment outOff = Segments.of(out.getOffsetBuffer());
            if (first == 0) {
                MemorySegment.copy(inOff, 0, outOff, 0, (long) (n + 1) * 4);
            } else {
                for (long i = 0; i <= n; i++) {
                    outOff.set(ValueLayout.JAVA_INT_UNALIGNED, i * 4,
                            inOff.get(ValueLayout.JAVA_INT_UNALIGNED, i * 4) - first);
                }
            }
            int validityBytes = (n + 7) / 8;
            MemorySegment.copy(Segments.of(in.getValidityBuffer().memoryAddress(), validityBytes),
                    0, Segments.of(out.getValidityBuffer().memoryAddress(), validityBytes),
                    0, validityBytes);
            out.setLastSet(n - 1);
            out.setValueCount(n);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.close();
            }
        }
    }

    private static String upperOrLower(Expr.StringFunction.Kind kind, String s) {
        return kind == Expr.StringFunction.Kind.UPPER ? s.toUpperCase(Locale.ROOT) : s.toLowerCase(Locale.ROOT);
    }

    private static String trim(String s, boolean leading, boolean trailing) {
        int from = 0;
        int to = s.length();
        while (leading && from < to && s.charAt(from) <= ' ') {
            from++;
        }
        while (trailing && to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        return s.substring(from, to);
    }

    /** {@code concat}: every operand as a string column, joined row by row on the bytes; null where any is null. */
    static Val concat(dev.weft.data.ExprNodes.Concat c, org.apache.arrow.vector.VectorSchemaRoot batch,
                      BufferAllocator alloc, int n) {
        java.util.List<Val> parts = new java.util.ArrayList<>();
        try {
            boolean scalar = true;
            for (Expr x : c.operands()) {
                try (Val v = ExprEvaluator.eval(x, batch, alloc, n)) {
                    if (v.isNullScalar()) {
                        return Val.scalar(null, DataType.STRING);
                    }
                    parts.add(v.type() == DataType.STRING && v.isScalar() ? Val.scalar(v.scalar(), DataType.STRING)
                            : Casts.cast(v, DataType.STRING.arrowType(), alloc, n, c));
                    scalar &= v.isScalar();
                }
            }
            if (scalar) {
                StringBuilder sb = new StringBuilder();
                parts.forEach(p -> sb.append((String) p.scalar()));
                return Val.scalar(sb.toString(), DataType.STRING);
            }
            int k = parts.size();
            byte[][] constants = new byte[k][];
            for (int j = 0; j < k; j++) {
                if (parts.get(j).isScalar()) {
                    constants[j] = ((String) parts.get(j).scalar()).getBytes(StandardCharsets.UTF_8);
                }
            }
            VarCharVector out = new VarCharVector("expr", alloc);
            out.allocateNew((long) n * 16 + 1, n);
            byte[] row = new byte[256];
            for (int i = 0; i < n; i++) {
                int len = 0;
                boolean isNull = false;
                for (int j = 0; j < k && !isNull; j++) {
                    byte[] piece = constants[j];
                    int pieceLen;
                    int from = 0;
                    ArrowBuf data = null;
                    if (piece != null) {
                        pieceLen = piece.length;
                    } else {
                        VarCharVector v = (VarCharVector) parts.get(j).vector();
                        if (v.isNull(i)) {
                            isNull = true;
                            break;
                        }
                        from = v.getOffsetBuffer().getInt((long) i * 4);
                        pieceLen = v.getOffsetBuffer().getInt((long) (i + 1) * 4) - from;
                        data = v.getDataBuffer();
                    }
                    if (row.length < len + pieceLen) {
                        row = java.util.Arrays.copyOf(row, Math.max(len + pieceLen, row.length * 2));
                    }
                    if (piece != null) {
                        System.arraycopy(piece, 0, row, len, pieceLen);
                    } else {
                        data.getBytes(from, row, len, pieceLen);
                    }
                    len += pieceLen;
                }
                if (isNull) {
                    out.setNull(i);
                } else {
                    out.setSafe(i, row, 0, len);
                }
            }
            out.setValueCount(n);
            return Val.of(out, true);
        } finally {
            parts.forEach(Val::close);
        }
    }

    private static String substring(String s, int start, int count) {
        int cps = s.codePointCount(0, s.length());
        int from = Math.min(start, cps);
        int to = (int) Math.min((long) from + count, cps);
        return s.substring(s.offsetByCodePoints(0, from), s.offsetByCodePoints(0, to));
    }
}

package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;

/**
 * AND, OR and NOT in SQL's three-valued logic, a whole bitmap byte at a time: a value is true (valid and set),
 * false (valid and clear) or null (not valid). Stateless.
 */
final class BooleanLogic {
    private BooleanLogic() {
    }

    static Val logic(boolean and, Val a, Val b, BufferAllocator alloc, int n, Expr e) {
        ExprEvaluator.requireBoolean(a, e);
        ExprEvaluator.requireBoolean(b, e);
        // SQL's three-valued logic on whole bitmap bytes: a value is true (valid and set), false (valid and clear)
        // or null (not valid). AND is false where either side is false, true where both are true; OR the reverse.
        int bytes = (n + 7) / 8;
        byte[] av = validBits(a, n);
        byte[] ad = dataBits(a, n);
        byte[] bv = validBits(b, n);
        byte[] bd = dataBits(b, n);
        byte[] valid = new byte[bytes];
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int aTrue = av[i] & ad[i];
            int aFalse = av[i] & ~ad[i];
            int bTrue = bv[i] & bd[i];
            int bFalse = bv[i] & ~bd[i];
            int t = and ? aTrue & bTrue : aTrue | bTrue;
            int f = and ? aFalse | bFalse : aFalse & bFalse;
            valid[i] = (byte) (t | f);
            data[i] = (byte) t;
        }
        return Val.of(fromBits(alloc, data, valid, n), true);
    }

    static Val negate(Val a, BufferAllocator alloc, int n, Expr e) {
        ExprEvaluator.requireBoolean(a, e);
        if (a.isScalar()) {
            return Val.scalar(a.scalar() == null ? null : !(Boolean) a.scalar(), DataType.BOOLEAN);
        }
        byte[] valid = validBits(a, n);
        byte[] data = dataBits(a, n);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (valid[i] & ~data[i]);
        }
        return Val.of(fromBits(alloc, data, valid, n), true);
    }

    /** The validity bitmap of a boolean value as bytes (a scalar broadcast: all set, or all clear for null). */
    private static byte[] validBits(Val v, int n) {
        if (v.isScalar()) {
            byte[] out = new byte[(n + 7) / 8];
            if (v.scalar() != null) {
                java.util.Arrays.fill(out, (byte) -1);
            }
            return out;
        }
        return dev.weft.data.internal.arrow.Segments.readBits(v.vector().getValidityBuffer(), n);
    }

    /** The value bitmap of a boolean value as bytes (a scalar broadcast). */
    private static byte[] dataBits(Val v, int n) {
        if (v.isScalar()) {
            byte[] out = new byte[(n + 7) / 8];
            if (Boolean.TRUE.equals(v.scalar())) {
                java.util.Arrays.fill(out, (byte) -1);
            }
            return out;
        }
        return dev.weft.data.internal.arrow.Segments.readBits(((BitVector) v.vector()).getDataBuffer(), n);
    }

    private static BitVector fromBits(BufferAllocator alloc, byte[] data, byte[] valid, int n) {
        BitVector out = ExprEvaluator.newBits(alloc, n);
        dev.weft.data.internal.arrow.Segments.writeBits(data, out.getDataBuffer());
        dev.weft.data.internal.arrow.Segments.writeBits(valid, out.getValidityBuffer());
        out.setValueCount(n);
        return out;
    }
}

package dev.weft.data.internal.expr;

import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;

/** Null masks of operands, computed once per column rather than checked per operation. */
final class Nulls {
    private Nulls() {
    }

    /** Rows where either operand is null, or {@code null} when neither has a null. */
    static boolean[] union(Val a, Val b, int n) {
        boolean na = a.hasNulls();
        boolean nb = b.hasNulls();
        if (!na && !nb) {
            return null;
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = (na && a.isNull(i)) || (nb && b.isNull(i));
        }
        return out;
    }

    static boolean[] of(Val a, int n) {
        if (!a.hasNulls()) {
            return null;
        }
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = a.isNull(i);
        }
        return out;
    }

    /** Marks every row valid except {@code nulls}, and sets the value count. */
    static void setValidity(BaseFixedWidthVector v, int n, boolean[] nulls) {
        var validity = v.getValidityBuffer();
        validity.setOne(0, (n + 7) / 8);
        if (nulls != null) {
            for (int i = 0; i < n; i++) {
                if (nulls[i]) {
                    BitVectorHelper.unsetBit(validity, i);
                }
            }
        }
        v.setValueCount(n);
    }
}

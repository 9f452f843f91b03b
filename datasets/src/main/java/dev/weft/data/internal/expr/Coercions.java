package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import org.apache.arrow.memory.BufferAllocator;

/** Implicit conversions before an operation, as SQL makes them: a string compared with a date is a date, a date with a timestamp a timestamp. */
final class Coercions {
    private Coercions() {
    }

    /** {@code v} converted for comparing with {@code other}: a new owned value, or {@code v} itself. */
    static Val forComparison(Val v, Val other, BufferAllocator alloc, int n, Expr e) {
        if (v.isNullScalar() || other.isNullScalar()) {
            return v;
        }
        if (v.type() == DataType.STRING && other.type().isTemporal()) {
            return Casts.cast(v, other.type().arrowType(), alloc, n, e);
        }
        if (v.type() == DataType.DATE && other.type() == DataType.TIMESTAMP) {
            return Casts.cast(v, DataType.TIMESTAMP.arrowType(), alloc, n, e);
        }
        return v;
    }

    /** {@code v} converted to the exact type {@code target} (a new owned value), or {@code v} when it has it. */
    static Val to(Val v, org.apache.arrow.vector.types.pojo.ArrowType target, BufferAllocator alloc, int n, Expr e) {
        if (target == null || v.isNullScalar() && v.arrowType() == null || target.equals(v.arrowType())) {
            return v;
        }
        return Casts.cast(v, target, alloc, n, e);
    }
}

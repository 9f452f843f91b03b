package dev.weft.data.internal.expr;

import dev.weft.data.CompareOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.ExprNodes;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * {@code when/otherwise}, {@code coalesce}, {@code in} and null-safe equality. Every branch is evaluated as a
 * whole column (no per-row dispatch on expressions), converted to the common type, and the result picks each row
 * from its branch with Arrow's typed copy.
 */
final class Conditionals {
    private Conditionals() {
    }

    static Val when(ExprNodes.When w, VectorSchemaRoot batch, BufferAllocator alloc, int n) {
        List<Val> owned = new ArrayList<>();
        try {
            int k = w.conditions().size();
            int[] choice = new int[n];
            java.util.Arrays.fill(choice, -1);
            boolean[] decided = new boolean[n];
            boolean constant = true;
            ArrowType type = null;
            List<Val> values = new ArrayList<>();
            for (int b = 0; b < k; b++) {
                Val c = track(owned, ExprEvaluator.eval(w.conditions().get(b), batch, alloc, n));
                constant &= c.isScalar();
                if (!c.isNullScalar() && c.type() != DataType.BOOLEAN) {
                    throw new ExprTypes.TypeError(null, "when needs boolean conditions: " + w.conditions().get(b)
                            + " is " + c.type());
                }
                for (int i = 0; i < n; i++) {
                    if (!decided[i] && c.boolAt(i) == 1) {
                        decided[i] = true;
                        choice[i] = b;
                    }
                }
                Val v = track(owned, ExprEvaluator.eval(w.values().get(b), batch, alloc, n));
                values.add(v);
                type = ExprTypes.common(type, v.arrowType(), w);
            }
            if (w.otherwise() != null) {
                Val v = track(owned, ExprEvaluator.eval(w.otherwise(), batch, alloc, n));
                values.add(v);
                type = ExprTypes.common(type, v.arrowType(), w);
                for (int i = 0; i < n; i++) {
                    if (!decided[i]) {
                        choice[i] = k;
                    }
                }
            }
            return pick(values, choice, type, alloc, n, w, owned, constant);
        } finally {
            owned.forEach(Val::close);
        }
    }

    static Val coalesce(ExprNodes.Coalesce c, VectorSchemaRoot batch, BufferAllocator alloc, int n) {
        List<Val> owned = new ArrayList<>();
        try {
            int[] choice = new int[n];
            java.util.Arrays.fill(choice, -1);
            ArrowType type = null;
            List<Val> values = new ArrayList<>();
            for (int b = 0; b < c.operands().size(); b++) {
                Val v = track(owned, ExprEvaluator.eval(c.operands().get(b), batch, alloc, n));
                values.add(v);
                type = ExprTypes.common(type, v.arrowType(), c);
                for (int i = 0; i < n; i++) {
                    if (choice[i] < 0 && !v.isNull(i)) {
                        choice[i] = b;
                    }
                }
            }
            return pick(values, choice, type, alloc, n, c, owned, true);
        } finally {
            owned.forEach(Val::close);
        }
    }

    private static Val track(List<Val> owned, Val v) {
        owned.add(v);
        return v;
    }

    /** Row i from {@code values[choice[i]]} (null where the choice is -1), all converted to {@code type}. */
    private static Val pick(List<Val> values, int[] choice, ArrowType type, BufferAllocator alloc, int n, Expr e,
                            List<Val> owned, boolean constantChoice) {
        if (type == null) {
            return Val.scalar(null, DataType.INT32);
        }
        boolean allScalar = constantChoice && values.stream().allMatch(Val::isScalar);
        FieldVector[] sources = new FieldVector[values.size()];
        int m = allScalar ? 1 : n;
        for (int b = 0; b < sources.length; b++) {
            Val v = Coercions.to(values.get(b), type, alloc, m, e);
            if (v != values.get(b)) {
                track(owned, v);
            }
            FieldVector vec = v.isScalar() ? v.toVector("branch", m, alloc) : v.vector();
            if (v.isScalar()) {
                track(owned, Val.of(vec, true));
            }
            sources[b] = vec;
        }
        FieldVector out = new Field("expr", FieldType.nullable(type), null).createVector(alloc);
        out.setInitialCapacity(m);
        out.allocateNew();
        for (int i = 0; i < m; i++) {
            int b = choice[i];
            if (b >= 0 && !sources[b].isNull(i)) {
                out.copyFromSafe(i, i, sources[b]);
            }
        }
        out.setValueCount(m);
        if (allScalar) {
            try (out) {
                return Val.scalar(Casts.scalarAt0(out), type);
            }
        }
        return Val.of(out, true);
    }

    static Val in(ExprNodes.In in, Val x, BufferAllocator alloc, int n) {
        if (in.values().isEmpty()) {
            return Val.scalar(false, DataType.BOOLEAN);
        }
        Val acc = null;
        try {
            for (Object value : in.values()) {
                Expr.Compare eq = new Expr.Compare(CompareOp.EQ, in.operand(), new Expr.Literal(value));
                try (Val lit = Val.literal(value); Val r = ExprEvaluator.compare(eq, x, lit, alloc, n)) {
                    if (acc == null) {
                        acc = BooleanLogic.logic(false, r, Val.scalar(false, DataType.BOOLEAN), alloc, n, in);
                    } else {
                        Val next = BooleanLogic.logic(false, acc, r, alloc, n, in);
                        acc.close();
                        acc = next;
                    }
                }
            }
            Val out = acc;
            acc = null;
            return out;
        } finally {
            if (acc != null) {
                acc.close();
            }
        }
    }

    static Val nullSafeEq(ExprNodes.NullSafeEq q, Val a, Val b, BufferAllocator alloc, int n) {
        if (a.isNullScalar() || b.isNullScalar()) {
            Val other = a.isNullScalar() ? b : a;
            if (other.isScalar()) {
                return Val.scalar(other.scalar() == null, DataType.BOOLEAN);
            }
            boolean[] r = new boolean[n];
            for (int i = 0; i < n; i++) {
                r[i] = other.isNull(i);
            }
            return Val.of(ExprEvaluator.bits(alloc, r, null, n), true);
        }
        Expr.Compare eq = new Expr.Compare(CompareOp.EQ, q.left(), q.right());
        try (Val r = ExprEvaluator.compare(eq, a, b, alloc, n)) {
            if (r.isScalar()) {
                return Val.scalar(Boolean.TRUE.equals(r.scalar()), DataType.BOOLEAN);
            }
            boolean[] out = new boolean[n];
            BitVector bits = (BitVector) r.vector();
            for (int i = 0; i < n; i++) {
                boolean na = a.isNull(i);
                boolean nb = b.isNull(i);
                out[i] = na || nb ? na && nb : bits.get(i) == 1;
            }
            return Val.of(ExprEvaluator.bits(alloc, out, null, n), true);
        }
    }
}

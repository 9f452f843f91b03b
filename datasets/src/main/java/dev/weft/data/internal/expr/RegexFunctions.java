package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.ExprNodes;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;

/** {@code like}, {@code rlike}, {@code regexpExtract} and {@code regexpReplace}: one compiled pattern and one matcher per batch. */
final class RegexFunctions {
    private RegexFunctions() {
    }

    static Val apply(ExprNodes.Regex r, Val x, BufferAllocator alloc, int n) {
        boolean predicate = r.kind() == ExprNodes.Regex.Kind.LIKE || r.kind() == ExprNodes.Regex.Kind.RLIKE;
        DataType outType = predicate ? DataType.BOOLEAN : DataType.STRING;
        if (x.isNullScalar()) {
            return Val.scalar(null, outType);
        }
        if (x.type() != DataType.STRING) {
            throw new ExprTypes.TypeError(null, r.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " needs a string operand: " + r + " has an operand of type " + x.type());
        }
        Matcher m = Pattern.compile(r.pattern()).matcher("");
        if (x.isScalar()) {
            Object v = one(r, m, (String) x.scalar());
            return Val.scalar(v, outType);
        }
        VarCharVector in = (VarCharVector) x.vector();
        boolean[] nulls = Nulls.of(x, n);
        if (predicate) {
            boolean[] out = new boolean[n];
            for (int i = 0; i < n; i++) {
                if (nulls == null || !nulls[i]) {
                    out[i] = (Boolean) one(r, m, new String(in.get(i), StandardCharsets.UTF_8));
                }
            }
            return Val.of(ExprEvaluator.bits(alloc, out, nulls, n), true);
        }
        VarCharVector out = new VarCharVector("expr", alloc);
        out.allocateNew(Math.max(16, in.getDataBuffer().writerIndex()), n);
        for (int i = 0; i < n; i++) {
            if (nulls != null && nulls[i]) {
                out.setNull(i);
            } else {
                String s = (String) one(r, m, new String(in.get(i), StandardCharsets.UTF_8));
                out.setSafe(i, s.getBytes(StandardCharsets.UTF_8));
            }
        }
        out.setValueCount(n);
        return Val.of(out, true);
    }

    private static Object one(ExprNodes.Regex r, Matcher m, String s) {
        m.reset(s);
        return switch (r.kind()) {
            case LIKE -> m.matches();
            case RLIKE -> m.find();
            case EXTRACT -> m.find() ? (m.group(r.group()) == null ? "" : m.group(r.group())) : "";
            case REPLACE -> m.replaceAll(r.replacement());
        };
    }
}

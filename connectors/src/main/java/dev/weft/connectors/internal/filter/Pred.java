package dev.weft.connectors.internal.filter;

import java.io.Serializable;
import java.util.List;

/**
 * A row predicate the connectors can use to skip data: comparisons of a column with a literal, null tests and
 * boolean combinations. Skipping is conservative: a file, partition or row group is dropped only when no row in
 * it can satisfy the predicate (SQL semantics: a comparison with null is not true).
 */
public sealed interface Pred extends Serializable {
    /** Comparison operators. */
    enum Op {
        EQ, NE, LT, LE, GT, GE;

        Op negate() {
            return switch (this) {
                case EQ -> NE;
                case NE -> EQ;
                case LT -> GE;
                case LE -> GT;
                case GT -> LE;
                case GE -> LT;
            };
        }
    }

    /** {@code column op literal}; the literal is a Long, Integer, Double, Float, Boolean or String, never null. */
    record Compare(String column, Op op, Object literal) implements Pred {
        public Compare {
            if (literal == null) {
                throw new IllegalArgumentException("literal of a comparison on '" + column + "' must not be null");
            }
        }
    }

    record IsNull(String column) implements Pred {}

    record IsNotNull(String column) implements Pred {}

    record And(List<Pred> children) implements Pred {
        public And {
            children = List.copyOf(children);
        }
    }

    record Or(List<Pred> children) implements Pred {
        public Or {
            children = List.copyOf(children);
        }
    }

    record Not(Pred child) implements Pred {}

    /** A condition the connectors cannot interpret; it never causes skipping. */
    record Opaque(String description) implements Pred {}

    static Pred and(Pred... children) {
        return new And(List.of(children));
    }

    static Pred or(Pred... children) {
        return new Or(List.of(children));
    }

    /** Pushes negations down to the leaves (De Morgan), so that dropping an unknown leaf stays conservative. */
    static Pred negationNormalForm(Pred p) {
        return nnf(p, false);
    }

    private static Pred nnf(Pred p, boolean negate) {
        return switch (p) {
            case Compare c -> negate ? new Compare(c.column(), c.op().negate(), c.literal()) : c;
            case IsNull n -> negate ? new IsNotNull(n.column()) : n;
            case IsNotNull n -> negate ? new IsNull(n.column()) : n;
            case Not n -> nnf(n.child(), !negate);
            case And a -> {
                List<Pred> cs = a.children().stream().map(c -> nnf(c, negate)).toList();
                yield negate ? new Or(cs) : new And(cs);
            }
            case Or o -> {
                List<Pred> cs = o.children().stream().map(c -> nnf(c, negate)).toList();
                yield negate ? new And(cs) : new Or(cs);
            }
            case Opaque o -> o;
        };
    }
}

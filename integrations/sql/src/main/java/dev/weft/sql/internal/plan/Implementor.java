package dev.weft.sql.internal.plan;

import dev.weft.sql.SqlException;
import java.util.List;
import org.apache.calcite.rel.RelNode;

/**
 * Builds the dataset of a tree of {@link WeftRel}s, with the values of the statement's {@code ?} parameters.
 * Not thread-safe; one per statement execution.
 */
public final class Implementor {
    private final List<Object> parameters;

    public Implementor(List<Object> parameters) {
        this.parameters = List.copyOf(parameters.stream().map(p -> p == null ? NULL : p).toList());
    }

    private static final Object NULL = new Object();

    public Built visit(RelNode input) {
        if (!(input instanceof WeftRel rel)) {
            throw SqlException.notSupported(input.getRelTypeName() + " (" + input.explain().strip() + ")");
        }
        return rel.implement(this);
    }

    /** The value of parameter {@code index} (0-based), failing with its position when it was not bound. */
    public Object parameter(int index) {
        if (index >= parameters.size()) {
            throw new SqlException("parameter " + (index + 1) + " (the " + ordinal(index + 1) + " '?') has no value: "
                    + parameters.size() + " value(s) were bound");
        }
        Object v = parameters.get(index);
        return v == NULL ? null : v;
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        });
    }
}

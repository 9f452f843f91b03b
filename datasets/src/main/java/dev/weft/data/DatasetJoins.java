package dev.weft.data;

import dev.weft.data.internal.exec.Exchange;
import dev.weft.data.internal.kernels.JoinSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Combining datasets for {@link Dataset}: the checks and plans of joins and unions. */
final class DatasetJoins {
    private DatasetJoins() {
    }

    /** An equi-join of {@code left} with {@code right}, after checking the keys. */
    static Dataset join(Dataset left, Dataset right, List<String> leftOn, List<String> rightOn, JoinType how,
                        boolean broadcast, long broadcastThresholdBytes) {
        require(right, "join input");
        require(leftOn, "left join keys");
        require(rightOn, "right join keys");
        require(how, "join type");
        if (leftOn.stream().anyMatch(Objects::isNull) || rightOn.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("join keys must not be null, got left " + leftOn + " and right "
                    + rightOn);
        }
        JoinSpec spec = new JoinSpec(dev.weft.data.internal.kernels.JoinType.valueOf(how.name()), leftOn, rightOn,
                false, "_right");
        return left.exchange(new Exchange.Join(spec, right.plan(), broadcast, broadcastThresholdBytes));
    }

    /** The rows of {@code first} followed by those of {@code others}. */
    static Dataset union(Dataset first, Dataset... others) {
        if (others == null || others.length == 0) {
            throw new IllegalArgumentException("union needs at least one other dataset");
        }
        List<Object> plans = new ArrayList<>();
        for (Dataset d : others) {
            plans.add(require(d, "union input").plan());
        }
        return first.exchange(new Exchange.Union(plans));
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}

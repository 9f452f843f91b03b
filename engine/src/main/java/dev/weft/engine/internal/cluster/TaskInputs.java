package dev.weft.engine.internal.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * A driver task's prepared arguments and every ref among them: the refs given as arguments and those written
 * inside argument values (a dataset task takes its blocks in a list). Lineage keeps the refs' objects as the
 * task's inputs; locality weighs where they are held.
 */
record TaskInputs(Args args, List<ClusterRef<?>> refs) {
    static TaskInputs prepare(Object[] given, ClusterRuntime runtime) {
        Args args;
        List<ClusterRef<?>> inside;
        RefCapture.start();
        try {
            args = Args.prepare(given, runtime);
        } finally {
            inside = RefCapture.stop();
        }
        List<ClusterRef<?>> refs = new ArrayList<>(inside);
        for (Object a : given) {
            if (a instanceof ClusterRef<?> r) {
                refs.add(r);
            }
        }
        return new TaskInputs(args, refs);
    }
}

package dev.weft.taskgraph;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.ArrayList;
import java.util.List;

/**
 * The Weft task functions of {@link WeftScheduler}: the node's call and its dependencies as arguments, so that Weft
 * starts the task once they exist and hands it their values. Past five dependencies they travel as a list of refs
 * (a nested ref stays a ref) and the task fetches them itself.
 */
final class GraphTasks {
    static final int DIRECT = 5;

    private GraphTasks() {
    }

    static Object run0(NodeCall c) {
        return c.run(new Object[0]);
    }

    static Object run1(NodeCall c, Object d0) {
        return c.run(new Object[] {d0});
    }

    static Object run2(NodeCall c, Object d0, Object d1) {
        return c.run(new Object[] {d0, d1});
    }

    static Object run3(NodeCall c, Object d0, Object d1, Object d2) {
        return c.run(new Object[] {d0, d1, d2});
    }

    static Object run4(NodeCall c, Object d0, Object d1, Object d2, Object d3) {
        return c.run(new Object[] {d0, d1, d2, d3});
    }

    static Object run5(NodeCall c, Object d0, Object d1, Object d2, Object d3, Object d4) {
        return c.run(new Object[] {d0, d1, d2, d3, d4});
    }

    /** {@code deps} holds refs (of task keys) and {@link Literal}s (of literal keys), in slot order. */
    static Object runMany(NodeCall c, List<Object> deps) {
        List<ObjectRef<Object>> refs = new ArrayList<>();
        for (Object d : deps) {
            if (d instanceof ObjectRef<?> r) {
                @SuppressWarnings("unchecked")
                ObjectRef<Object> ref = (ObjectRef<Object>) r;
                refs.add(ref);
            }
        }
        List<Object> fetched = Weft.current().get(refs);
        Object[] in = new Object[deps.size()];
        int next = 0;
        for (int i = 0; i < in.length; i++) {
            Object d = deps.get(i);
            in[i] = d instanceof Literal l ? l.value() : fetched.get(next++);
        }
        return c.run(in);
    }

    /** A literal key's value inside a list of dependencies, told apart from refs. */
    record Literal(Object value) implements java.io.Serializable {
    }
}

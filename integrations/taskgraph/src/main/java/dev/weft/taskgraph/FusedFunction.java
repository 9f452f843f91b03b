package dev.weft.taskgraph;

import dev.weft.api.WeftFunction;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear chain of tasks run as one: the first stage's function on the chain's arguments, then each later stage's
 * function with the previous stage's value where its argument named the previous key. A failing stage is reported
 * under its own key.
 */
record FusedFunction(String firstKey, WeftFunction first, List<Stage> rest) implements WeftFunction {
    /** Marks where a stage takes the previous stage's value. */
    record Previous() implements java.io.Serializable {
    }

    record Stage(String key, WeftFunction fn, Object[] template) implements java.io.Serializable {
    }

    /** {@code parent} (a task, maybe already fused) absorbed into {@code child}, whose only dependency it is. */
    static GraphNode fuse(GraphNode parent, GraphNode child) {
        FusedFunction head = parent.fn() instanceof FusedFunction f ? f
                : new FusedFunction(parent.key(), parent.fn(), List.of());
        Object[] template = new Object[child.args().length];
        for (int i = 0; i < template.length; i++) {
            Object a = child.args()[i];
            template[i] = a instanceof Dep.One ? new Previous() : a;
        }
        List<Stage> rest = new ArrayList<>(head.rest());
        rest.add(new Stage(child.key(), child.fn(), template));
        List<String> keys = new ArrayList<>(parent.fusedKeys());
        keys.add(child.key());
        return new GraphNode(child.key(), new FusedFunction(head.firstKey(), head.first(), List.copyOf(rest)),
                parent.args(), null, child.resources(), List.copyOf(keys));
    }

    @Override
    public Object invoke(Object[] args) {
        Object v = NodeCall.invoke(firstKey, first, args);
        for (Stage s : rest) {
            Object[] a = new Object[s.template().length];
            for (int i = 0; i < a.length; i++) {
                a[i] = s.template()[i] instanceof Previous ? v : s.template()[i];
            }
            v = NodeCall.invoke(s.key(), s.fn(), a);
        }
        return v;
    }

    @Override
    public int arity() {
        return first.arity();
    }
}

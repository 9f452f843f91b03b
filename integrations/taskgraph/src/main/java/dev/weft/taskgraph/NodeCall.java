package dev.weft.taskgraph;

import dev.weft.api.WeftFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What runs for one task node, on any scheduler: the function and its arguments with each dependency replaced by a
 * slot in the array of dependency values (in the order of {@link GraphNode#dependencies()}). Shipped with each Weft
 * task; immutable.
 */
record NodeCall(String key, WeftFunction fn, Object[] template) implements Serializable {
    /** A dependency argument: the value in slot {@code index}. */
    record Slot(int index) implements Serializable {
    }

    /** A list-of-dependencies argument: the values in these slots. */
    record Slots(int[] indices) implements Serializable {
    }

    static NodeCall of(GraphNode n) {
        List<String> deps = n.dependencies();
        Object[] t = new Object[n.args().length];
        for (int i = 0; i < t.length; i++) {
            Object a = n.args()[i];
            if (a instanceof Dep.One one) {
                t[i] = new Slot(deps.indexOf(one.key()));
            } else if (a instanceof Dep.Many many) {
                t[i] = new Slots(many.keys().stream().mapToInt(deps::indexOf).toArray());
            } else {
                t[i] = a;
            }
        }
        return new NodeCall(n.key(), n.fn(), t);
    }

    /** Runs the function on these dependency values; a failure comes out as a {@link KeyFailedException}. */
    Object run(Object[] depValues) {
        Object[] a = new Object[template.length];
        for (int i = 0; i < a.length; i++) {
            Object t = template[i];
            if (t instanceof Slot s) {
                a[i] = depValues[s.index()];
            } else if (t instanceof Slots s) {
                List<Object> list = new ArrayList<>(s.indices().length);
                for (int j : s.indices()) {
                    list.add(depValues[j]);
                }
                a[i] = list;
            } else {
                a[i] = t;
            }
        }
        return invoke(key, fn, a);
    }

    static Object invoke(String key, WeftFunction fn, Object[] args) {
        try {
            return fn.invoke(args);
        } catch (KeyFailedException e) {
            throw e;
        } catch (Exception | StackOverflowError e) {
            throw new KeyFailedException(key, e);
        }
    }
}

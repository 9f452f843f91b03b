package dev.weft.taskgraph;

import java.util.List;

/**
 * An argument of a graph task that is the value of another key, as Dask graphs use a key inside a task tuple.
 * {@link TaskGraph#dep(String)} makes one; {@link TaskGraph#deps(List)} makes an argument that is the list of
 * several keys' values. Any other argument is a literal passed as it is.
 */
public sealed interface Dep {
    /** The keys this argument depends on, in order. */
    List<String> keys();

    /** The value of one key. */
    record One(String key) implements Dep {
        public One {
            TaskGraph.checkKey(key);
        }

        @Override
        public List<String> keys() {
            return List.of(key);
        }
    }

    /** The values of several keys, as a {@code List} in the given order. */
    record Many(List<String> keys) implements Dep {
        public Many {
            keys = List.copyOf(keys);
            keys.forEach(TaskGraph::checkKey);
        }
    }
}

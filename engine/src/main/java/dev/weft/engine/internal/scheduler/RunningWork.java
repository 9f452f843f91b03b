package dev.weft.engine.internal.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The work holding a lease on a node, as an intrusive doubly linked list through {@link Work#prev} and
 * {@link Work#next}: linking and unlinking allocate nothing, which matters at hundreds of thousands of tasks a
 * second. Owned by the node's loop; not thread-safe.
 */
final class RunningWork {
    private Work head;

    void link(Work w) {
        w.prev = null;
        w.next = head;
        if (head != null) {
            head.prev = w;
        }
        head = w;
        w.inRunningList = true;
    }

    void unlink(Work w) {
        if (!w.inRunningList) {
            return;
        }
        if (w.prev != null) {
            w.prev.next = w.next;
        } else {
            head = w.next;
        }
        if (w.next != null) {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.inRunningList = false;
    }

    /** The running work that {@code filter} accepts, as a snapshot list. */
    List<Work> matching(Predicate<Work> filter) {
        List<Work> out = new ArrayList<>();
        for (Work w = head; w != null; w = w.next) {
            if (filter.test(w)) {
                out.add(w);
            }
        }
        return out;
    }

    List<Work> all() {
        return matching(w -> true);
    }
}

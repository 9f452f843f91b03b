package dev.weft.engine;

import java.time.Duration;

/**
 * User code that was still running when its runtime finished closing: it was interrupted and did not end within
 * the close grace period (see {@link LocalClusterControl#CLOSE_GRACE}), so its thread keeps running, and keeps
 * a core busy if it computes, until the code returns by itself. The JVM cannot stop a thread that ignores
 * interrupts; the fix is in the code: check {@code Thread.interrupted()} in long loops.
 *
 * @param kind            "task", "actor call" or "actor constructor"
 * @param name            the task's or call's name (for actor calls, with the actor's id)
 * @param nodeId          the virtual node it ran on
 * @param threadName      its thread's name
 * @param sinceInterrupt  how long it had run since it was interrupted, when the runtime looked last
 */
public record Straggler(String kind, String name, String nodeId, String threadName, Duration sinceInterrupt) {
    @Override
    public String toString() {
        return kind + " " + name + " on " + nodeId + " (thread '" + threadName + "'), still running "
                + sinceInterrupt.toMillis() + " ms after it was interrupted";
    }
}

package dev.weft.data.internal.exec;

/**
 * The actor pool's sizing decision, a pure function of what the pool looks like now: grow while bundles wait
 * for a free slot (up to the maximum and only while the budget allows), shrink by the actors idle past the
 * timeout (never below the minimum, and only when nothing waits).
 */
public final class ActorPoolScaler {
    private ActorPoolScaler() {
    }

    /**
     * @param size              actors alive or starting
     * @param queuedBundles     input bundles waiting for an actor
     * @param freeSlots         calls the current actors could still take
     * @param slotsPerActor     calls one actor takes at once
     * @param idlePastTimeout   actors with no call for longer than the idle timeout
     * @param budgetAllowsGrowth whether the executor's byte budget lets more work start
     * @return actors to add (positive) or to release (negative)
     */
    public static int decide(int size, int min, int max, int queuedBundles, int freeSlots, int slotsPerActor,
                             int idlePastTimeout, boolean budgetAllowsGrowth) {
        if (size < min) {
            return min - size;
        }
        int waiting = queuedBundles - freeSlots;
        if (waiting > 0) {
            if (!budgetAllowsGrowth || size >= max) {
                return 0;
            }
            return Math.min(max - size, (waiting + slotsPerActor - 1) / slotsPerActor);
        }
        if (queuedBundles == 0 && idlePastTimeout > 0 && size > min) {
            return -Math.min(idlePastTimeout, size - min);
        }
        return 0;
    }
}

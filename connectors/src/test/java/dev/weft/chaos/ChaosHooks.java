package dev.weft.chaos;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault a running case's UDFs inject. Static because the embedded cluster runs every task in this JVM and a
 * UDF is serialized without its case; one case runs at a time. Armed only while the case's job runs.
 */
final class ChaosHooks {
    static volatile ChaosCase.Fault fault = ChaosCase.Fault.NONE;
    static volatile long faultAt;
    static volatile Runnable killer = () -> { };
    static volatile boolean armed;
    static final AtomicLong CALLS = new AtomicLong();
    static final AtomicBoolean FIRED = new AtomicBoolean();

    private ChaosHooks() {
    }

    static void arm(ChaosCase c, Runnable killNode) {
        fault = c.fault();
        faultAt = c.faultAt();
        killer = killNode;
        CALLS.set(0);
        FIRED.set(false);
        armed = true;
    }

    static void disarm() {
        armed = false;
        fault = ChaosCase.Fault.NONE;
        killer = () -> { };
    }

    /** Called once per UDF call, with the ids the call sees ({@code firstId..lastId} or every id of a batch). */
    static void onCall(long[] ids, int count) {
        if (!armed) {
            return;
        }
        long call = CALLS.getAndIncrement();
        switch (fault) {
            case UDF_THROWS_ALWAYS -> {
                for (int i = 0; i < count; i++) {
                    if (ids[i] == faultAt) {
                        throw new IllegalStateException("chaos fault: the UDF rejects row id=" + faultAt);
                    }
                }
            }
            case UDF_THROWS_ONCE -> {
                if (call == faultAt && FIRED.compareAndSet(false, true)) {
                    throw new IllegalStateException("chaos fault: UDF call #" + call + " fails once");
                }
            }
            case KILL_NODE_FROM_UDF -> {
                if (call == faultAt && FIRED.compareAndSet(false, true)) {
                    Runnable k = killer;
                    // Killing the node this very task runs on must not wait for this task.
                    Thread.ofPlatform().name("chaos-killer").daemon().start(k);
                }
            }
            default -> { }
        }
    }

    static void onConstruct() {
        if (armed && fault == ChaosCase.Fault.UDF_CONSTRUCTOR_THROWS) {
            throw new IllegalStateException("chaos fault: the UDF's constructor fails");
        }
    }
}

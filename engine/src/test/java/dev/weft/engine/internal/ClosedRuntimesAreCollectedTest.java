package dev.weft.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.api.Counter;
import dev.weft.engine.api.Fns;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A closed runtime leaves nothing on the heap that holds it: not the serializer's background compile queue (a
 * Fory pool per runtime did, for as long as its queue was long), not the cleaner of its handles (whose pending
 * actions reached the runtime while the runtime held handles of its own). Each retained runtime kept its node
 * loops' rings, about 5 MB a node, so a JVM that opens many (a test suite, a service) ran out of heap.
 */
class ClosedRuntimesAreCollectedTest {
    @ParameterizedTest
    @ValueSource(strings = {"local", "inline"})
    void aClosedRuntimeBecomesUnreachable(String address) throws InterruptedException {
        List<WeakReference<Object>> runtimes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runtimes.add(new WeakReference<>(useAndClose(address, i)));
        }
        long alive = 0;
        for (int round = 0; round < 20; round++) {
            System.gc();
            alive = runtimes.stream().filter(r -> r.get() != null).count();
            if (alive == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, alive, alive + " of " + runtimes.size() + " closed " + address + " runtimes are still reachable");
    }

    /** Touches what holds handles: tasks with ref arguments, refs inside values, actors, put. */
    private static Object useAndClose(String address, int i) {
        Weft weft = Weft.init(WeftConfig.builder().address(address).nodes(2, 2).objectStoreBytes(32 << 20).build());
        Object runtime = weft.runtime();
        ObjectRef<Integer> a = weft.put(i);
        ObjectRef<Integer> b = weft.task(Fns::add, a, 1).remote();
        ObjectRef<List<ObjectRef<Integer>>> nested = weft.put(List.of(a, b));
        assertEquals(2 * i + 1, nested.get().get(0).get() + nested.get().get(1).get());
        ActorHandle<Counter> c = weft.actor(Counter::new, i).remote();
        assertEquals(i + 1, c.task(Counter::incr, 1).remote().get());
        weft.put(new byte[300_000]).get();
        // values of many classes: the serializer compiles a serializer for each in the background
        List<Object> values = new ArrayList<>();
        values.add(new R0(i, "r", 0L));
        values.add(new R1(i, "r", 1L));
        values.add(new R2(i, "r", 2L));
        values.add(new R3(i, "r", 3L));
        values.add(new R4(i, "r", 4L));
        values.add(new R5(i, "r", 5L));
        values.add(new R6(i, "r", 6L));
        values.add(new R7(i, "r", 7L));
        values.add(new R8(i, "r", 8L));
        values.add(new R9(i, "r", 9L));
        values.add(new R10(i, "r", 10L));
        values.add(new R11(i, "r", 11L));
        values.add(new R12(i, "r", 12L));
        values.add(new R13(i, "r", 13L));
        values.add(new R14(i, "r", 14L));
        values.add(new R15(i, "r", 15L));
        values.add(new R16(i, "r", 16L));
        values.add(new R17(i, "r", 17L));
        values.add(new R18(i, "r", 18L));
        values.add(new R19(i, "r", 19L));
        values.add(new R20(i, "r", 20L));
        values.add(new R21(i, "r", 21L));
        values.add(new R22(i, "r", 22L));
        values.add(new R23(i, "r", 23L));
        values.add(new R24(i, "r", 24L));
        values.add(new R25(i, "r", 25L));
        values.add(new R26(i, "r", 26L));
        values.add(new R27(i, "r", 27L));
        values.add(new R28(i, "r", 28L));
        values.add(new R29(i, "r", 29L));
        values.add(new R30(i, "r", 30L));
        values.add(new R31(i, "r", 31L));
        values.add(new R32(i, "r", 32L));
        values.add(new R33(i, "r", 33L));
        values.add(new R34(i, "r", 34L));
        values.add(new R35(i, "r", 35L));
        values.add(new R36(i, "r", 36L));
        values.add(new R37(i, "r", 37L));
        values.add(new R38(i, "r", 38L));
        values.add(new R39(i, "r", 39L));
        for (Object v : values) {
            assertEquals(v, weft.put(v).get());
        }
        weft.close();
        return runtime;
    }

    record R0(int a0, String b0, long c0) {
    }

    record R1(int a1, String b1, long c1) {
    }

    record R2(int a2, String b2, long c2) {
    }

    record R3(int a3, String b3, long c3) {
    }

    record R4(int a4, String b4, long c4) {
    }

    record R5(int a5, String b5, long c5) {
    }

    record R6(int a6, String b6, long c6) {
    }

    record R7(int a7, String b7, long c7) {
    }

    record R8(int a8, String b8, long c8) {
    }

    record R9(int a9, String b9, long c9) {
    }

    record R10(int a10, String b10, long c10) {
    }

    record R11(int a11, String b11, long c11) {
    }

    record R12(int a12, String b12, long c12) {
    }

    record R13(int a13, String b13, long c13) {
    }

    record R14(int a14, String b14, long c14) {
    }

    record R15(int a15, String b15, long c15) {
    }

    record R16(int a16, String b16, long c16) {
    }

    record R17(int a17, String b17, long c17) {
    }

    record R18(int a18, String b18, long c18) {
    }

    record R19(int a19, String b19, long c19) {
    }

    record R20(int a20, String b20, long c20) {
    }

    record R21(int a21, String b21, long c21) {
    }

    record R22(int a22, String b22, long c22) {
    }

    record R23(int a23, String b23, long c23) {
    }

    record R24(int a24, String b24, long c24) {
    }

    record R25(int a25, String b25, long c25) {
    }

    record R26(int a26, String b26, long c26) {
    }

    record R27(int a27, String b27, long c27) {
    }

    record R28(int a28, String b28, long c28) {
    }

    record R29(int a29, String b29, long c29) {
    }

    record R30(int a30, String b30, long c30) {
    }

    record R31(int a31, String b31, long c31) {
    }

    record R32(int a32, String b32, long c32) {
    }

    record R33(int a33, String b33, long c33) {
    }

    record R34(int a34, String b34, long c34) {
    }

    record R35(int a35, String b35, long c35) {
    }

    record R36(int a36, String b36, long c36) {
    }

    record R37(int a37, String b37, long c37) {
    }

    record R38(int a38, String b38, long c38) {
    }

    record R39(int a39, String b39, long c39) {
    }
}

package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.spi.FunctionNames;
import dev.weft.spi.TaskSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API as users write it compiles, and the option builders reject bad values by name. */
class ApiShapeTest {
    static int square(int x) {
        return x * x;
    }

    static int add(int a, int b) {
        return a + b;
    }

    static void log(String s) {
    }

    static final class Counter {
        int n;

        Counter(int start) {
            n = start;
        }

        int incr(int d) {
            return n += d;
        }

        int value() {
            return n;
        }

        void reset() {
            n = 0;
        }
    }

    @SuppressWarnings("unused")
    void compilesAsTheIssueWritesIt(Weft weft) {
        ObjectRef<Integer> a = weft.task(ApiShapeTest::square, 4).remote();
        ObjectRef<Integer> b = weft.task(ApiShapeTest::add, a, 1).remote();
        ObjectRef<Void> v = weft.task(ApiShapeTest::log, "x").remote();
        int value = b.get();
        ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(2).remote();
        for (int i = 0; i < 100; i++) {
            c.task(Counter::incr, 1).remote();
        }
        int n = c.task(Counter::value).remote().get();
        ObjectRef<Void> r = c.task(Counter::reset).remote();
        ObjectRef<long[]> big = weft.put(new long[1 << 24]);
        WaitResult<Integer> w = weft.wait(List.of(a, b), 1, Duration.ofSeconds(1));
        List<Integer> both = weft.get(List.of(a, b));
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(1), Bundle.cpus(1));
        pg.ready().get();
        weft.task(ApiShapeTest::square, 3).numCpus(1).placementGroup(pg, 0).remote();
    }

    @Test
    void functionsInvokeWithTheirArity() throws Exception {
        WeftFunc2<Integer, Integer, Integer> f = ApiShapeTest::add;
        assertEquals(2, f.arity());
        assertEquals(5, f.invoke(new Object[] {2, 3}));
        assertEquals("ApiShapeTest.add", FunctionNames.of(f));
    }

    @Test
    void taskSpecChecksArity() {
        WeftFunc1<Integer, Integer> f = ApiShapeTest::square;
        assertThrows(IllegalArgumentException.class, () -> new TaskSpec(f, new Object[0], TaskOptions.DEFAULT));
    }

    @Test
    void badResourcesAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> TaskOptions.builder().numCpus(-1));
        assertTrue(e.getMessage().contains("CPU") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TaskOptions.builder().resource("tpu", Double.NaN));
        assertTrue(e.getMessage().contains("tpu") && e.getMessage().contains("NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bundle.of(Map.of("CPU", Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> ActorOptions.builder().maxConcurrency(0));
    }

    @Test
    void errorTypesSayWhetherRetryHelps() {
        assertTrue(new WorkerCrashedException("x").isRetryable());
        assertTrue(!new TaskFailedException("t", "java.lang.IllegalStateException", "m", "", null).isRetryable());
    }
}

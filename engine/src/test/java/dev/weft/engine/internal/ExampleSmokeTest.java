package dev.weft.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.Bundle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.WaitResult;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The issue's example, end to end through {@code Weft.init}, on both providers. */
class ExampleSmokeTest {
    static int square(int x) {
        return x * x;
    }

    static int add(int a, int b) {
        return a + b;
    }

    static final class Counter {
        private int value;

        Counter(int start) {
            value = start;
        }

        int incr(int by) {
            value += by;
            return value;
        }

        int value() {
            return value;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "inline"})
    void theIssueExampleRuns(String address) {
        WeftConfig config = WeftConfig.builder().address(address).nodes(2, 1).build();
        try (Weft weft = Weft.init(config)) {
            ObjectRef<Integer> a = weft.task(ExampleSmokeTest::square, 4).remote();
            ObjectRef<Integer> b = weft.task(ExampleSmokeTest::add, a, 1).remote();
            assertEquals(17, b.get());

            ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(2).remote();
            for (int i = 0; i < 100; i++) {
                c.task(Counter::incr, 1).remote();
            }
            assertEquals(110, c.task(Counter::value).remote().get());

            ObjectRef<long[]> big = weft.put(new long[1 << 24]);
            assertEquals(1 << 24, big.get().length);
            WaitResult<Integer> w = weft.wait(List.of(a, b), 1, Duration.ofSeconds(1));
            assertEquals(1, w.getReady().size());
            assertEquals(1, w.getUnready().size());
            assertEquals(List.of(16, 17), weft.get(List.of(a, b)));

            PlacementGroup pg = weft.placementGroup(PlacementStrategy.STRICT_SPREAD, Bundle.cpus(1), Bundle.cpus(1));
            assertTrue(pg.ready().get());
            assertEquals(9, weft.task(ExampleSmokeTest::square, 3).numCpus(1).placementGroup(pg, 0).remote().get());
            big.close();
        }
    }
}

package dev.weft.taskgraph;

import static dev.weft.taskgraph.TaskGraph.dep;
import static dev.weft.taskgraph.TaskGraph.deps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.Weft;
import dev.weft.testing.WeftSessions;
import dev.weft.testing.WeftTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The three schedulers on the same graphs: same answers, same failure reports; Weft-specific refs and resources. */
@WeftTest(nodes = 2, cpusPerNode = 2)
class SchedulersTest {
    private static List<GraphScheduler> schedulers(Weft weft) {
        return List.of(new SynchronousScheduler(), new ThreadPoolScheduler(4), new WeftScheduler(weft));
    }

    @Test
    void theThreeSchedulersAgreeOnARandomGraphOf10000Keys(Weft weft) {
        TaskGraph g = Fns.randomGraph(10_000, 18);
        Random r = new Random(7);
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            outputs.add("k" + (r.nextInt(10_000)));
        }
        outputs.add("k9999");
        int culled = g.cull(outputs).size();
        assertTrue(culled > 1000 && culled < 10_000, "culled to " + culled + " keys");
        assertTrue(g.optimize(outputs).size() < culled, "the random graph has chains to fuse");
        // Culling and fusion on: a subset of outputs. The poison key depends on k5 but no output needs it.
        Map<String, Object> expected = new SynchronousScheduler().compute(g, outputs);
        assertEquals(new java.util.LinkedHashSet<>(outputs), expected.keySet());
        assertEquals(expected, new ThreadPoolScheduler(4).compute(g, outputs));
        assertEquals(expected, new WeftScheduler(weft).compute(g, outputs));
        // Every one of the 10,000 keys an output: nothing culled or fused, every key computed on every scheduler.
        List<String> all = new ArrayList<>(g.keys());
        all.remove("poison");
        Map<String, Object> everything = new SynchronousScheduler().compute(g, all);
        assertEquals(10_000, everything.size());
        assertEquals(everything, new ThreadPoolScheduler(4).compute(g, all));
        assertEquals(everything, new WeftScheduler(weft).compute(g, all));
    }

    @Test
    void aFailingKeyNamesItselfAndItsDependencyPathOnEveryScheduler(Weft weft) {
        TaskGraph.Builder b = TaskGraph.builder();
        List<String> leaves = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            b.value("raw-" + i, i == 2 ? -5L : (long) i);
            b.task("checked-" + i, Fns::failIfNegative, dep("raw-" + i));
            b.task("leaf-" + i, Fns::inc, dep("checked-" + i)); // fused with checked-i
            leaves.add("leaf-" + i);
        }
        b.task("sum", Fns::sum, deps(leaves));
        b.task("total", Fns::inc, dep("sum"));
        TaskGraph g = b.build();
        assertEquals(List.of("checked-2", "leaf-2"), g.optimize(List.of("total")).fusedKeys("leaf-2"));
        for (GraphScheduler s : schedulers(weft)) {
            TaskGraphException e = assertThrows(TaskGraphException.class, () -> s.compute(g, "total"),
                    s.getClass().getSimpleName());
            assertEquals("checked-2", e.key(), s.getClass().getSimpleName());
            assertEquals(List.of("total", "sum", "leaf-2", "checked-2"), e.path(), s.getClass().getSimpleName());
            assertTrue(e.getMessage().contains("negative input -5"), e.getMessage());
            assertTrue(e.getMessage().contains("total <- sum <- leaf-2 <- checked-2"), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause(), s.getClass().getSimpleName());
        }
    }

    @Test
    void literalsListsAndManyDependenciesWorkOnEveryScheduler(Weft weft) {
        TaskGraph.Builder b = TaskGraph.builder();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            b.value("v" + i, (long) i);
            b.task("sq" + i, Fns::mul, dep("v" + i), dep("v" + i));
            parts.add(i % 2 == 0 ? "sq" + i : "v" + i); // a list mixing task keys and literal keys
        }
        b.task("total", Fns::sum, deps(parts));
        TaskGraph g = b.build();
        long expected = 0 + 1 + 4 + 3 + 16 + 5 + 36 + 7;
        for (GraphScheduler s : schedulers(weft)) {
            assertEquals(Map.of("total", expected, "v3", 3L), s.compute(g, List.of("total", "v3")),
                    s.getClass().getSimpleName());
        }
    }

    @Test
    void weftSchedulerKeepsLargeIntermediatesInTheStoreAndReturnsRefs(Weft weft) {
        TaskGraph g = TaskGraph.builder()
                .task("vector", Fns::vector, 1 << 17, 42L) // 1 MiB: lives in the object store, not inline
                .task("total", Fns::total, dep("vector"))
                .build();
        double expected = Fns.total(Fns.vector(1 << 17, 42L));
        WeftScheduler s = new WeftScheduler(weft);
        Map<String, ObjectRef<Object>> refs = s.submit(g, List.of("total", "vector"));
        try {
            assertEquals(expected, refs.get("total").get());
            assertArrayEquals(Fns.vector(1 << 17, 42L), (double[]) refs.get("vector").get());
            assertEquals(1, weft.objectLocations(List.of(refs.get("vector"))).get(0).size(),
                    "the intermediate lives in one node's object store");
        } finally {
            refs.values().forEach(ObjectRef::close);
        }
        assertEquals(expected, s.compute(g, "total"));
    }

    @Test
    void weftSchedulerHoldsEachKeysResourceAnnotation(WeftSessions sessions) {
        Weft weft = sessions.start(c -> c.addNode(Map.of("CPU", 1.0, "accelerator", 1.0))
                .infeasibleTimeout(Duration.ofMillis(300)));
        TaskGraph g = TaskGraph.builder()
                .value("x", 20L)
                .task("fast", Fns::inc, dep("x"))
                .resources("fast", Map.of("CPU", 0.5, "accelerator", 1.0))
                .task("y", Fns::add, dep("fast"), dep("x"))
                .task("impossible", Fns::inc, dep("y"))
                .resources("impossible", Map.of("CPU", 1.0, "quantum", 1.0))
                .build();
        assertEquals(41L, new WeftScheduler(weft).compute(g, "y"));
        TaskGraphException e = assertThrows(TaskGraphException.class, () -> new WeftScheduler(weft).compute(g, "impossible"));
        assertEquals("impossible", e.key());
        assertInstanceOf(TaskUnschedulableException.class, e.getCause());
        assertTrue(e.getMessage().contains("quantum"), e.getMessage());
    }
}

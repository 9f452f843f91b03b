package dev.weft.taskgraph;

import static dev.weft.taskgraph.TaskGraph.dep;
import static dev.weft.taskgraph.TaskGraph.deps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Building, validating, culling and fusing graphs: pure, no runtime. */
class TaskGraphTest {
    @Test
    void badGraphsFailNamingTheKeyAtFault() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TaskGraph.builder().task("y", Fns::inc, dep("x")).build());
        assertEquals("key 'y' depends on 'x', which is not in the graph", missing.getMessage());

        IllegalArgumentException cycle = assertThrows(IllegalArgumentException.class, () -> TaskGraph.builder()
                .task("a", Fns::inc, dep("c")).task("b", Fns::inc, dep("a")).task("c", Fns::inc, dep("b")).build());
        assertTrue(cycle.getMessage().startsWith("the graph has a cycle: "), cycle.getMessage());
        assertEquals("the graph has a cycle: a -> c -> b -> a", cycle.getMessage());

        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> TaskGraph.builder().value("x", 1L).value("x", 2L));
        assertEquals("key 'x' is already in the graph", twice.getMessage());

        IllegalArgumentException arity = assertThrows(IllegalArgumentException.class,
                () -> TaskGraph.builder().task("x", (dev.weft.api.WeftFunction) (dev.weft.api.WeftFunc1<Long, Long>) Fns::inc));
        assertTrue(arity.getMessage().contains("'x'") && arity.getMessage().contains("takes 1"), arity.getMessage());

        assertThrows(IllegalArgumentException.class, () -> TaskGraph.builder().value("", 1));
        IllegalArgumentException unknownOutput = assertThrows(IllegalArgumentException.class,
                () -> TaskGraph.builder().value("x", 1L).build().cull(List.of("nope")));
        assertEquals("key 'nope' is not in the graph", unknownOutput.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskGraph.builder().value("x", 1L)
                .resources("x", Map.of("CPU", 1.0)));
    }

    @Test
    void cullingKeepsOnlyWhatTheOutputsNeed() {
        TaskGraph g = TaskGraph.builder()
                .value("x", 1L).value("unused", 5L)
                .task("y", Fns::inc, dep("x"))
                .task("z", Fns::add, dep("x"), dep("y"))
                .task("w", Fns::inc, dep("unused"))
                .task("v", Fns::inc, dep("z"))
                .build();
        assertEquals(Set.of("x", "y", "z"), g.cull(List.of("z")).keys());
        assertEquals(Set.of("x", "y", "z", "v"), g.cull(List.of("v")).keys());
        assertEquals(Set.of("x", "y", "z", "unused", "w"), g.cull(List.of("z", "w")).keys());
        assertEquals(6, g.size(), "culling returns a new graph");
    }

    @Test
    void linearChainsFuseIntoTheirLastKey() {
        TaskGraph g = TaskGraph.builder()
                .value("x", 1L)
                .task("a", Fns::inc, dep("x"))
                .task("b", Fns::inc, dep("a"))
                .task("c", Fns::mul, dep("b"), dep("b"))
                .task("d", Fns::inc, dep("c"))
                .build();
        TaskGraph fused = g.fuseLinear(List.of("d"));
        assertEquals(Set.of("x", "d"), fused.keys());
        assertEquals(List.of("a", "b", "c", "d"), fused.fusedKeys("d"));
        assertEquals(List.of("x"), fused.dependencies("d"));
        assertEquals(10L, new SynchronousScheduler().compute(g, "d"));

        TaskGraph keepC = g.fuseLinear(List.of("c", "d"));
        assertEquals(Set.of("x", "c", "d"), keepC.keys(), "an output is never absorbed");
        assertEquals(List.of("a", "b", "c"), keepC.fusedKeys("c"));
    }

    @Test
    void sharedKeysDiamondsListsAndDifferentResourcesDoNotFuse() {
        TaskGraph g = TaskGraph.builder()
                .value("x", 1L)
                .task("shared", Fns::inc, dep("x"))
                .task("left", Fns::inc, dep("shared"))
                .task("right", Fns::inc, dep("shared"))
                .task("join", Fns::add, dep("left"), dep("right"))
                .task("listed", Fns::sum, deps(List.of("join")))
                .task("gpu", Fns::inc, dep("listed"))
                .resources("gpu", Map.of("GPU", 1.0))
                .build();
        TaskGraph fused = g.fuseLinear(List.of("gpu"));
        assertEquals(Set.of("x", "shared", "left", "right", "join", "listed", "gpu"), fused.keys());
        assertEquals(Map.of("GPU", 1.0), fused.resources("gpu"));
        assertFalse(fused.isLiteral("gpu"));
        assertEquals(7L, new SynchronousScheduler().compute(g, "gpu"));
    }
}

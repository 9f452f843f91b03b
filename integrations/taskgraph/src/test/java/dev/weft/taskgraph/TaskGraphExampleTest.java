package dev.weft.taskgraph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@WeftTest(nodes = 2, cpusPerNode = 2)
class TaskGraphExampleTest {
    @Test
    void everySchedulerSumsTheSquares(Weft weft) {
        TaskGraph g = TaskGraphExample.sumOfSquares(1000);
        long expected = 999L * 1000 * 1999 / 6;
        for (GraphScheduler s : List.of(new SynchronousScheduler(), new ThreadPoolScheduler(4), new WeftScheduler(weft))) {
            assertEquals(expected, s.compute(g, "sum"), s.getClass().getSimpleName());
        }
    }
}

package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo job, in-process on a small embedded cluster, computes the right answers and says so. */
class DemoTest {
    @Test
    @WeftTest(nodes = 2, cpusPerNode = 2)
    void theDemoComputesAndVerifiesItsResults(Weft weft) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        Demo.Report report = Demo.run(weft, new Demo.Settings(300_000, 50, 2_000), out);

        assertEquals(25_997, report.primes(), "primes below 300,000");
        assertEquals(report.expectedPipelineSum(), report.pipelineSum());
        assertTrue(report.verified());
        assertEquals(PrimeCount.taskCount(0, 300_000), report.graphTasks());
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("tasks/s") && printed.contains("calls/s") && printed.contains("all results verified"),
                printed);
    }

    @Test
    void theCommandLineListsTheDemo() {
        CommandLine cli = new CommandLine(new WeftMain());
        assertTrue(cli.getSubcommands().containsKey("demo"));
        assertEquals(2, cli.execute("demo", "--nodes", "0", "--limit", "1")); // picocli's code for a bad value
    }
}

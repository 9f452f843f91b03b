package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Job code shipping: a driver whose class path holds a class folder the nodes do not have (compiled here, at test
 * time) runs tasks and an actor of those classes on the cluster, and gets back values of its own classes.
 */
@ExtendWith(ClusterSessions.class)
class ClusterJobCodeTest {
    private static final String SOURCE = """
            package shipped;

            import dev.weft.api.ActorHandle;
            import dev.weft.api.Weft;
            import dev.weft.api.WeftConfig;

            public final class Greeter {
                public record Greeting(String text, String loader) {
                }

                public static Greeting greet(String who) {
                    return new Greeting("hello " + who, Greeter.class.getClassLoader().getName());
                }

                public static final class Count {
                    private int n;

                    public int add(int k) {
                        n += k;
                        return n;
                    }
                }

                public static void main(String[] args) {
                    try (Weft weft = Weft.init(WeftConfig.builder().address(args[0]).property("token", args[1]).build())) {
                        Greeting g = weft.task(Greeter::greet, "cluster").remote().get();
                        System.out.println("GREETING " + g.text() + " by " + g.loader());
                        ActorHandle<Count> c = weft.actor(Count::new).remote();
                        c.task(Count::add, 2).remote();
                        System.out.println("COUNT " + c.task(Count::add, 3).remote().get());
                    }
                }
            }
            """;

    @Test
    void aClassOnlyOnTheDriversClassPathRunsOnTheNodes(ClusterProcesses cluster) throws Exception {
        Path src = Files.createTempDirectory(cluster.session(), "src");
        Path classes = Files.createTempDirectory(cluster.session(), "shipped-classes");
        Path file = Files.createDirectories(src.resolve("shipped")).resolve("Greeter.java");
        Files.writeString(file, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        assertEquals(0, rc, "the test's job class compiles");

        List<String> cmd = ClusterProcesses.java("shipped.Greeter");
        int cp = cmd.indexOf("-cp") + 1;
        cmd.set(cp, cmd.get(cp) + File.pathSeparator + classes);
        cmd.add(cluster.address());
        cmd.add(cluster.token());
        Process driver = cluster.spawnCommand("job-driver", cmd);
        assertTrue(driver.waitFor(90, TimeUnit.SECONDS), "the driver finished");
        String out = Files.readString(cluster.logOf(driver));
        assertEquals(0, driver.exitValue(), out);
        assertTrue(out.contains("GREETING hello cluster by weft-job-"), out);
        assertTrue(out.contains("COUNT 5"), out);
    }
}

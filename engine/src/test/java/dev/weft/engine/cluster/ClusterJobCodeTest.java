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
 * time) runs tasks and an actor of those classes on the cluster, and gets back values of its own classes; two
 * drivers with two versions of one class run at the same time on the same nodes, each seeing its own version.
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
    private static final String VERSIONED = """
            package versioned;

            import dev.weft.api.Weft;
            import dev.weft.api.WeftConfig;

            public final class Label {
                public static String label(int i) {
                    try {
                        Thread.sleep(50); // the two jobs overlap on the nodes
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "VERSION_TEXT";
                }

                public static void main(String[] args) {
                    try (Weft weft = Weft.init(WeftConfig.builder().address(args[0]).property("token", args[1]).build())) {
                        java.util.List<dev.weft.api.ObjectRef<String>> refs = new java.util.ArrayList<>();
                        for (int i = 0; i < 40; i++) {
                            refs.add(weft.task(Label::label, i).remote());
                        }
                        java.util.Set<String> seen = new java.util.TreeSet<>(weft.get(refs));
                        System.out.println("LABELS " + seen);
                    }
                }
            }
            """;

    @Test
    void twoJobsWithTwoVersionsOfOneClassRunAtOnceEachSeeingItsOwn(ClusterProcesses cluster) throws Exception {
        Process[] drivers = new Process[2];
        for (int v = 0; v < 2; v++) {
            Path src = Files.createTempDirectory(cluster.session(), "src-v" + v);
            Path classes = Files.createTempDirectory(cluster.session(), "versioned-v" + v);
            Path file = Files.createDirectories(src.resolve("versioned")).resolve("Label.java");
            Files.writeString(file, VERSIONED.replace("VERSION_TEXT", "label from version " + (v + 1)));
            int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
                    System.getProperty("java.class.path"), file.toString());
            assertEquals(0, rc, "version " + (v + 1) + " compiles");
            List<String> cmd = ClusterProcesses.java("versioned.Label");
            int cp = cmd.indexOf("-cp") + 1;
            cmd.set(cp, cmd.get(cp) + File.pathSeparator + classes);
            cmd.add(cluster.address());
            cmd.add(cluster.token());
            drivers[v] = cluster.spawnCommand("versioned-driver-" + v, cmd);
        }
        for (int v = 0; v < 2; v++) {
            assertTrue(drivers[v].waitFor(120, TimeUnit.SECONDS), "driver " + (v + 1) + " finished");
            String out = Files.readString(cluster.logOf(drivers[v]));
            assertEquals(0, drivers[v].exitValue(), out);
            assertTrue(out.contains("LABELS [label from version " + (v + 1) + "]"), out);
        }
    }
}

package dev.weft.starter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own Maven project, exactly as {@code docs/getting-started.md} shows it (its pom and its class are taken
 * from the page), built by Maven against this build's artifacts and run with {@code mvn compile exec:exec}: it must
 * print the table the page shows. The artifacts are laid out in a local repository of their own (the reactor's
 * jars and poms, nothing installed in {@code ~/.m2}), chained to the user's repository for third-party libraries.
 */
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ExternalProjectTest {
    private static final List<String> MODULES = List.of("scheduler-spi", "object-spill", "engine", "datasets", "connectors");

    @TempDir
    Path dir;

    @Test
    void theGettingStartedProjectBuildsAgainstWeftsArtifactsAndPrintsItsTable() throws Exception {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        String version = version(Files.readString(root.resolve("pom.xml")));
        for (String m : MODULES) {
            Path jar = root.resolve(m).resolve("target").resolve("weft-" + m + "-" + version + ".jar");
            assumeTrue(Files.isRegularFile(jar), "the module jars are built by the package phase (mvn verify): no " + jar);
        }
        Path repo = dir.resolve("repo");
        install(repo, "weft-parent", version, root.resolve("pom.xml"), null);
        install(repo, "weft-bom", version, root.resolve("bom/pom.xml"), null);
        for (String m : MODULES) {
            install(repo, "weft-" + m, version, root.resolve(m).resolve("pom.xml"),
                    root.resolve(m).resolve("target").resolve("weft-" + m + "-" + version + ".jar"));
        }
        // the starter's own jar is made after its tests: its classes folder holds what the jar will
        install(repo, "weft", version, root.resolve("starter/pom.xml"), jarOf(root.resolve("starter/target/classes")));

        String page = Files.readString(root.resolve("docs/getting-started.md"));
        Path app = Files.createDirectories(dir.resolve("sales"));
        Files.writeString(app.resolve("pom.xml"), block(page, "xml"));
        Path src = Files.createDirectories(app.resolve("src/main/java/com/example"));
        Files.writeString(src.resolve("Sales.java"), block(page, "java"));

        Path javaHome = Path.of(System.getProperty("java.home"));
        List<String> cmd = new ArrayList<>(List.of(root.resolve("mvnw").toString(), "-B", "-q", "-f",
                app.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repo,
                "-Dmaven.repo.local.tail=" + userRepository(), "compile", "exec:exec"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", javaHome.toString());
        env.put("PATH", javaHome.resolve("bin") + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        Path log = dir.resolve("build.log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(540, TimeUnit.SECONDS), "the user's build ended within 9 minutes");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), "the user's build and run succeed:\n" + out);
        String table = outputBlock(page);
        assertTrue(out.contains(table.strip()), "the run prints the page's table:\n" + table + "\ngot:\n" + out);
    }

    private static String version(String pom) {
        Matcher m = Pattern.compile("<artifactId>weft-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the parent pom names its version");
        return m.group(1);
    }

    /** The first fenced block of {@code language} on the page. */
    private static String block(String page, String language) {
        String fence = "```" + language + "\n";
        int from = page.indexOf(fence);
        assertTrue(from >= 0, "the page has a ```" + language + " block");
        int start = from + fence.length();
        return page.substring(start, page.indexOf("```", start));
    }

    /** The output block that follows the command block in the page's "Run it" section. */
    private static String outputBlock(String page) {
        String[] parts = page.substring(page.indexOf("## 3. Run it")).split("```");
        assertTrue(parts.length > 3 && parts[1].startsWith("bash"), "the Run it section shows a command, then its output");
        return parts[3];
    }

    /** Lays out {@code artifactId}'s pom (and jar) as a local repository holds an installed artifact. */
    private static void install(Path repo, String artifactId, String version, Path pom, Path jar) throws IOException {
        Path at = Files.createDirectories(repo.resolve("dev/weft").resolve(artifactId).resolve(version));
        Files.copy(pom, at.resolve(artifactId + "-" + version + ".pom"));
        if (jar != null) {
            Files.copy(jar, at.resolve(artifactId + "-" + version + ".jar"));
        }
    }

    private Path jarOf(Path classes) throws IOException {
        Path jar = dir.resolve("starter.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); var files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path userRepository() {
        String local = System.getProperty("maven.repo.local");
        return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }
}

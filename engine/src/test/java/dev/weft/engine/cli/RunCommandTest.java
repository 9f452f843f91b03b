package dev.weft.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code weft run} against a real jar, compiled and packed by the test: the program runs on this JDK with the flags
 * of docs/jvm-flags.md, finds Weft on the class path, gets its arguments and hands back its exit code.
 */
class RunCommandTest {
    private static final String MAIN = """
            package demo;

            import dev.weft.api.Weft;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Arrays;

            public class Main {
                public static int square(int x) {
                    return x * x;
                }

                public static void main(String[] args) throws Exception {
                    try (Weft weft = Weft.init()) {
                        int v = weft.task(Main::square, 7).remote().get();
                        boolean nio = java.nio.ByteBuffer.class.getModule().isOpen("java.nio", Main.class.getModule());
                        Files.writeString(Path.of(args[0]), v + " jdk=" + Runtime.version().feature() + " nio=" + nio
                                + " provider=" + weft.runtime().providerName()
                                + " args=" + Arrays.asList(args).subList(1, args.length));
                    }
                    if (args.length > 1 && args[1].equals("exit-3")) {
                        System.exit(3);
                    }
                }
            }
            """;

    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void buildJar() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/demo"));
        Files.writeString(src.resolve("Main.java"), MAIN);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean ok = javac.getTask(new PrintWriter(errors), null, null,
                List.of("-proc:none", "-d", classes.toString(), "-classpath", System.getProperty("java.class.path")),
                null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(src.resolve("Main.java"))).call();
        assertTrue(ok, errors.toString());
        jar = dir.resolve("app.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(f));
                jarOut.closeEntry();
            }
        }
    }

    private static int run(Path log, String... args) {
        RunCommand command = new RunCommand();
        command.output = ProcessBuilder.Redirect.to(log.toFile());
        StringWriter err = new StringWriter();
        return new CommandLine(command).setErr(new PrintWriter(err))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    Files.writeString(log, e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Test
    void runsTheJarsMainClassOnThisJdkWithWeftsFlagsAndItsArguments() throws IOException {
        Path out = dir.resolve("local.txt");
        Path log = dir.resolve("local.log");
        int code = run(log, "--class", "demo.Main", "--cp", jar.toString(), "--", out.toString(), "a b", "c");
        assertEquals(0, code, () -> "program output:\n" + read(log));
        String result = Files.readString(out);
        assertEquals("49 jdk=" + Runtime.version().feature() + " nio=true provider=local args=[a b, c]", result);
    }

    @Test
    void passesTheAddressOnAndReturnsTheProgramsExitCode() throws IOException {
        Path out = dir.resolve("inline.txt");
        Path log = dir.resolve("inline.log");
        int code = run(log, "--class", "demo.Main", "--cp", jar.toString(), "--address", "inline", "-J-Xmx256m",
                "--", out.toString(), "exit-3");
        assertEquals(3, code, () -> "program output:\n" + read(log));
        assertTrue(Files.readString(out).contains("provider=inline args=[exit-3]"), Files.readString(out));
    }

    @Test
    void aMissingJarOrMainClassIsNamedBeforeAnythingStarts() throws IOException {
        Path log = dir.resolve("missing.log");
        assertEquals(1, run(log, "--class", "demo.Main", "--cp", dir.resolve("nope.jar").toString()));
        assertTrue(read(log).contains("nope.jar") && read(log).contains("does not exist"), read(log));
        assertEquals(1, run(log, "--class", "demo.Missing", "--cp", jar.toString()));
        assertTrue(read(log).contains("main class demo.Missing is not in --cp"), read(log));
    }

    @Test
    void theFlagsAreThoseOfTheParentPom() throws IOException {
        Path pom = Path.of("..", "pom.xml");
        Matcher m = Pattern.compile("<weft\\.jvm\\.flags>([^<]*)</weft\\.jvm\\.flags>").matcher(Files.readString(pom));
        assertTrue(m.find(), "weft.jvm.flags in " + pom.toAbsolutePath());
        assertEquals(Arrays.stream(m.group(1).trim().split("\\s+")).sorted().toList(),
                WeftJvmFlags.FLAGS.stream().sorted().toList());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "(no output)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.weft.engine.cli;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft run --class com.example.Main --cp app.jar [-- args]}: runs a program in a JVM of its own, on the JDK
 * this command runs on, with the flags Weft needs (docs/jvm-flags.md) and Weft's own class path after the
 * program's. Waits for it and exits with its exit code; stopping {@code weft run} stops the program.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a Weft program (main class + class path) in a JVM with the flags Weft needs.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--class", required = true, description = "the program's main class, e.g. com.example.Main")
    String mainClass;

    @Option(names = {"--cp", "--class-path"}, required = true,
            description = "the program's class path: jars and directories separated by '${sys:path.separator}'; dir/* takes every jar in dir")
    String classPath;

    @Option(names = "--address", description = "the cluster to run against (sets WEFT_ADDRESS; default: as set, else the embedded local cluster)")
    String address;

    @Option(names = {"-J", "--jvm-option"}, description = "a further JVM option, e.g. -J-Xmx8g (repeatable)")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--no-weft-class-path", description = "do not add Weft's class path (the program's holds Weft itself)")
    boolean noWeftClassPath;

    @Parameters(description = "arguments for the program (after --)")
    List<String> args = new ArrayList<>();

    /** Where the program's output and errors go: this command's own, unless a test says otherwise. */
    ProcessBuilder.Redirect output = ProcessBuilder.Redirect.INHERIT;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<String> command = command();
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT);
        if (output == ProcessBuilder.Redirect.INHERIT) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(output);
        }
        if (address != null) {
            pb.environment().put("WEFT_ADDRESS", address);
        }
        Process p = pb.start();
        Thread stopper = new Thread(p::destroy, "weft-run-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return p.waitFor();
        } finally {
            p.destroy();
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }

    /** The command line of the program's JVM; checks the class path and main class first. */
    List<String> command() {
        int feature = Runtime.version().feature();
        if (feature < WeftJvmFlags.JDK_FEATURE) {
            throw new IllegalStateException("weft run needs JDK " + WeftJvmFlags.JDK_FEATURE + " or newer; it runs on "
                    + System.getProperty("java.home") + " (JDK " + Runtime.version() + "): set JAVA_HOME to a JDK "
                    + WeftJvmFlags.JDK_FEATURE);
        }
        List<Path> entries = checkedEntries();
        checkMainClass(entries);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(WeftJvmFlags.FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        String own = System.getProperty("java.class.path");
        cmd.add(noWeftClassPath || own == null || own.isBlank() ? classPath : classPath + File.pathSeparator + own);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    private List<Path> checkedEntries() {
        List<Path> out = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (entry.endsWith("*")) {
                Path dir = Path.of(entry.substring(0, entry.length() - 1));
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("--cp entry '" + entry + "': " + dir.toAbsolutePath()
                            + " is not a directory");
                }
                try (var jars = Files.list(dir)) {
                    jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new IllegalArgumentException("--cp entry '" + entry + "' cannot be listed: " + e.getMessage(), e);
                }
            } else {
                Path path = Path.of(entry);
                if (!Files.exists(path)) {
                    throw new IllegalArgumentException("--cp entry '" + entry + "' does not exist (looked for "
                            + path.toAbsolutePath() + ")");
                }
                out.add(path);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--cp '" + classPath + "' names no jar or directory");
        }
        return out;
    }

    private void checkMainClass(List<Path> entries) {
        URL[] urls = new URL[entries.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = entries.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--cp entry " + entries.get(i) + ": " + e.getMessage(), e);
            }
        }
        String resource = mainClass.replace('.', '/') + ".class";
        try (URLClassLoader loader = new URLClassLoader(urls, null)) {
            if (loader.findResource(resource) == null) {
                throw new IllegalArgumentException("main class " + mainClass + " is not in --cp " + classPath
                        + " (no " + resource + " in " + entries + ")");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--cp " + classPath + " cannot be read: " + e.getMessage(), e);
        }
    }
}

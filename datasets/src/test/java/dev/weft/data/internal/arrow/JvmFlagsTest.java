package dev.weft.data.internal.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The startup check names the missing flag, in a JVM really started without it. */
class JvmFlagsTest {

    /** Makes the root allocator, as the first dataset operation does. */
    public static final class FirstAllocation {
        public static void main(String[] args) {
            System.out.println("allocated " + DataAllocators.root().getAllocatedMemory());
        }
    }

    private static Process run(List<String> flags) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstAllocation.class.getName()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish: " + out);
        return out;
    }

    @Test
    void aJvmWithoutTheFlagFailsNamingIt() throws Exception {
        Process p = run(List.of());
        String out = output(p);
        assertNotEquals(0, p.exitValue(), out);
        assertTrue(out.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), out);
        assertTrue(out.contains("docs/jvm-flags.md"), out);
    }

    @Test
    void aJvmWithTheFlagStarts() throws Exception {
        Process p = run(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        String out = output(p);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("allocated 0"), out);
        assertNull(JvmFlags.missing(true));
    }
}

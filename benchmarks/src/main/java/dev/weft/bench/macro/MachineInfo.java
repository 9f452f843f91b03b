package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine line of a result: cores, CPU model, memory, OS, the runner's JDK. */
final class MachineInfo {

    private MachineInfo() {
    }

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name", "unknown CPU"));
        String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal", null);
        m.put("memory", mem == null ? "unknown memory"
                : MacroReport.fmt("%.1f GiB", Long.parseLong(mem.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("runnerJava", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        m.put("runnerMaxHeap", Runtime.getRuntime().maxMemory());
        return m;
    }

    private static String firstValue(Path file, String key, String fallback) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return fallback;
        }
        return fallback;
    }
}

package dev.weft.chaos;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.stream.Collectors;

/** Short stack dumps of the threads that matter when a case hangs or fails unclearly. */
final class ThreadDumps {
    private ThreadDumps() {
    }

    static String of(Thread job) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            String name = e.getKey().getName();
            if (e.getKey() == job || name.startsWith("weft-scheduler") || name.startsWith("weft-dataset")) {
                sb.append("  ").append(name).append(" ").append(e.getKey().getState()).append('\n');
                int shown = 0;
                for (StackTraceElement f : e.getValue()) {
                    if (shown++ == 14) {
                        break;
                    }
                    sb.append("      at ").append(f).append('\n');
                }
            }
        }
        return sb.toString();
    }

    static String stack(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString().lines().limit(40).collect(Collectors.joining("\n"));
    }
}

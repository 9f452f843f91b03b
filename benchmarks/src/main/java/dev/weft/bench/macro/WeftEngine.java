package dev.weft.bench.macro;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Weft, in the runner's own JVM: an embedded cluster ({@code Weft.init}) using every CPU of the machine, driven
 * through the {@code Dataset} API of module {@code datasets} ({@link WeftWorkloads}); W6 through Weft SQL. A workload whose operators
 * the API does not have yet is reported as not available, never approximated.
 */
final class WeftEngine implements Engine {

    private static final Set<Workload> IMPLEMENTED = EnumSet.of(Workload.W1a, Workload.W1b, Workload.W1c, Workload.W2,
            Workload.W3, Workload.W4, Workload.W4M, Workload.W5, Workload.W6, Workload.W7, Workload.DEC);

    private final Weft weft;
    private final long objectStoreBytes;

    /** Starts the embedded runtime with an object store of {@code objectStoreBytes}. */
    WeftEngine(long objectStoreBytes) {
        this.objectStoreBytes = objectStoreBytes;
        this.weft = Weft.init(WeftConfig.builder().objectStoreBytes(objectStoreBytes).build());
    }

    @Override
    public String name() {
        return "weft";
    }

    @Override
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("engine", "Weft Dataset API, embedded cluster");
        info.put("process", "in the runner's JVM, object store " + (objectStoreBytes >> 20) + " MiB");
        info.put("java", System.getProperty("java.version"));
        info.put("maxHeap", Runtime.getRuntime().maxMemory());
        return info;
    }

    @Override
    public Optional<String> unavailable(Workload workload) {
        if (IMPLEMENTED.contains(workload)) {
            return Optional.empty();
        }
        return Optional.of("the runner has no Weft side for this workload");
    }

    @Override
    public EngineRun run(Workload workload, Path data, Path out) {
        long start = System.nanoTime();
        Map<String, Object> checks = switch (workload) {
            case W1a -> WeftWorkloads.w1a(data);
            case W1b -> WeftWorkloads.w1b(data);
            case W1c -> WeftWorkloads.w1c(data);
            case W2 -> WeftWorkloads.w2(data);
            case W3 -> WeftWorkloads.w3(data, out);
            case W4 -> WeftWorkloads.groupBy(data.resolve("events"));
            case W4M -> WeftWorkloads.groupBy(data.resolve("events1m"));
            case W5 -> WeftWorkloads.w5(data);
            case W6 -> WeftWorkloads.w6(data);
            case W7 -> WeftWorkloads.w7(data);
            case DEC -> WeftDecode.decode(data.resolve("events"));
            default -> throw new IllegalStateException("not available in Weft: " + workload);
        };
        return new EngineRun(System.nanoTime() - start, checks);
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public void close() {
        weft.close();
    }
}

package dev.weft.data.internal.exec;

import dev.weft.api.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Notices an execution that waits on the cluster while nothing moves — no task or actor call ends, no block is
 * produced or consumed — for longer than {@code DataContext.progressTimeout}, and says what it waits for. A
 * pipeline stuck that way (an actor that can never get its node, a task whose resources never free) would
 * otherwise wait for ever. Touched only by the executor thread.
 */
final class ProgressWatchdog {
    private final Duration timeout;
    private final long timeoutNanos;
    private long lastProgress;

    /** {@code timeout} zero turns the watchdog off. */
    ProgressWatchdog(Duration timeout, long nowNanos) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.isZero() ? 0 : Math.max(1, timeout.toNanos());
        this.lastProgress = nowNanos;
    }

    /** Something moved: a task was launched or ended, a block was produced or the consumer took or freed one. */
    void progress(long nowNanos) {
        lastProgress = nowNanos;
    }

    /** Whether nothing moved for the whole timeout. */
    boolean expired(long nowNanos) {
        return timeoutNanos > 0 && nowNanos - lastProgress >= timeoutNanos;
    }

    /** How long the executor may sleep before the watchdog must look again. */
    long nanosUntilExpiry(long nowNanos) {
        return timeoutNanos == 0 ? Long.MAX_VALUE : Math.max(0, lastProgress + timeoutNanos - nowNanos);
    }

    Duration timeout() {
        return timeout;
    }

    /** What a stalled execution waits for: each operator's work, and each node's resources. */
    String describe(String jobId, List<OperatorState> ops, List<NodeInfo> nodes) {
        StringBuilder sb = new StringBuilder();
        sb.append("dataset ").append(jobId).append(" made no progress for ").append(human(timeout))
                .append(" (DataContext.progressTimeout): no task or actor call ended and no block was produced or ")
                .append("consumed. It waits for:");
        for (OperatorState op : ops) {
            sb.append("\n  - operator ").append(op.name).append(": ").append(op.describeWork());
            Map<String, Double> demand = op.demand();
            if (!demand.isEmpty() && !op.done && !op.cancelled) {
                sb.append("; each ").append(op instanceof ActorMapState ? "actor" : "task").append(" wants ")
                        .append(format(demand)).append(", ").append(whereItFits(demand, nodes));
            }
        }
        sb.append("\nResources available / total by node:");
        for (NodeInfo n : nodes) {
            sb.append("\n  - ").append(n.nodeId()).append(n.alive() ? "" : " (dead)").append(": ");
            boolean first = true;
            for (Map.Entry<String, Double> e : new TreeMap<>(n.totalResources()).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(e.getKey()).append(' ').append(num(n.availableResources().getOrDefault(e.getKey(), 0.0)))
                        .append('/').append(num(e.getValue()));
            }
        }
        sb.append("\nFree those resources (another job's actors?), lower the operator's numCpus/numGpus or actor pool "
                + "size, or raise DataContext.progressTimeout if a single task legitimately runs longer (0 turns this "
                + "check off).");
        return sb.toString();
    }

    private static String whereItFits(Map<String, Double> demand, List<NodeInfo> nodes) {
        boolean ever = false;
        for (NodeInfo n : nodes) {
            if (!n.alive()) {
                continue;
            }
            if (fits(demand, n.availableResources())) {
                return "which " + n.nodeId() + " has free now";
            }
            ever |= fits(demand, n.totalResources());
        }
        return ever ? "which no node has free now" : "which no node has at all";
    }

    private static boolean fits(Map<String, Double> demand, Map<String, Double> have) {
        for (Map.Entry<String, Double> e : demand.entrySet()) {
            if (e.getValue() > 0 && have.getOrDefault(e.getKey(), 0.0) + 1e-9 < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static String format(Map<String, Double> resources) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Double> e : new TreeMap<>(resources).entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(num(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }
}

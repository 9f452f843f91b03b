package dev.weft.data.internal.plan;

import dev.weft.data.Datasink;
import dev.weft.data.Datasource;
import dev.weft.data.MapBatches;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An operator of the physical plan: what the streaming executor runs. Map-like operators carry the fused
 * {@link Stage}s they run per task and optionally the sink their tasks write to. Immutable.
 */
public sealed interface PhysicalOp {
    /** The operator's line in {@code explain()}. */
    String explain();

    /** The operator's name in stats, progress bars and errors, e.g. {@code ReadParquet->Filter}. */
    String name();

    /** Reads a datasource in tasks, then runs {@code stages} (and writes to {@code sink}, if set) in the same task. */
    record ReadOp(Datasource source, List<Stage> stages, Datasink sink) implements PhysicalOp {
        public ReadOp {
            stages = List.copyOf(stages);
        }

        public ReadOp with(List<Stage> more, Datasink newSink) {
            List<Stage> all = new ArrayList<>(stages);
            all.addAll(more);
            return new ReadOp(source, all, newSink != null ? newSink : sink);
        }

        @Override
        public String explain() {
            String d = source.describe();
            return "Read[" + source.name() + (d.isEmpty() ? "" : "(" + d + ")") + "]" + tail(stages, sink);
        }

        @Override
        public String name() {
            return shortNames("Read" + source.name(), stages, sink);
        }
    }

    /** Blocks already in the object store. */
    record InputOp(List<BlockRef> blocks) implements PhysicalOp {
        @Override
        public String explain() {
            return "InputBlocks[" + blocks.size() + " blocks]";
        }

        @Override
        public String name() {
            return "InputBlocks";
        }
    }

    /** Runs {@code stages} over bundles of input blocks, on tasks or an actor pool as {@code compute} says. */
    record MapOp(List<Stage> stages, MapBatches compute, Datasink sink) implements PhysicalOp {
        public MapOp {
            stages = List.copyOf(stages);
        }

        /** Whether this is a plain one-CPU task operator that may run inside any neighbouring operator. */
        public boolean fusible() {
            return !compute.useActors() && compute.numCpus() == 1 && compute.numGpus() == 0 && compute.concurrency() == 0;
        }

        public MapOp with(List<Stage> more, Datasink newSink) {
            List<Stage> all = new ArrayList<>(stages);
            all.addAll(more);
            return new MapOp(all, compute, newSink != null ? newSink : sink);
        }

        @Override
        public String explain() {
            String params = compute.useActors()
                    ? "actors=" + compute.minActors() + ".." + compute.maxActors() + resources()
                    : ((compute.concurrency() > 0 ? "concurrency=" + compute.concurrency() : "") + resources())
                    .replaceFirst("^, ", "");
            String head = (compute.useActors() ? "ActorPoolMap" : "TaskPoolMap") + (params.isEmpty() ? "" : "[" + params + "]");
            String t = tail(stages, sink);
            return head + (t.isEmpty() ? "" : ":" + t.substring(3));
        }

        private String resources() {
            String r = "";
            if (compute.numCpus() != 1) {
                r += ", numCpus=" + compute.numCpus();
            }
            if (compute.numGpus() != 0) {
                r += ", numGpus=" + compute.numGpus();
            }
            return r;
        }

        @Override
        public String name() {
            String n = shortNames("", stages, sink);
            return n.startsWith("->") ? n.substring(2) : n;
        }
    }

    /** Passes on the first {@code limit} rows, then stops everything upstream. Runs on the driver. */
    record LimitOp(long limit) implements PhysicalOp {
        @Override
        public String explain() {
            return "Limit[" + limit + "]";
        }

        @Override
        public String name() {
            return "Limit";
        }
    }

    /** An all-to-all exchange through the object store (map tasks, then reducer tasks); a barrier. */
    record AllToAllOp(dev.weft.data.internal.exec.Exchange exchange) implements PhysicalOp {
        @Override
        public String explain() {
            return exchange.explain();
        }

        @Override
        public String name() {
            String e = exchange.explain();
            return e.substring(0, e.indexOf('['));
        }
    }

    /** A {@link BlockTransform} over all of its input's blocks; a barrier, run before the plan streams. */
    record BarrierOp(BlockTransform transform) implements PhysicalOp {
        @Override
        public String explain() {
            return transform.explain();
        }

        @Override
        public String name() {
            String e = transform.explain();
            int i = e.indexOf('[');
            return i < 0 ? e : e.substring(0, i);
        }
    }

    /** Writes blocks in tasks (when it could not be fused into the operator before it). */
    record WriteOp(Datasink sink) implements PhysicalOp {
        @Override
        public String explain() {
            return "Write[" + sinkText(sink) + "]";
        }

        @Override
        public String name() {
            return "Write" + sink.name();
        }
    }

    private static String tail(List<Stage> stages, Datasink sink) {
        StringBuilder sb = new StringBuilder();
        for (Stage s : stages) {
            sb.append(" -> ").append(s.explain());
        }
        if (sink != null) {
            sb.append(" -> Write[").append(sinkText(sink)).append("]");
        }
        return sb.toString();
    }

    private static String sinkText(Datasink sink) {
        String d = sink.describe();
        return sink.name() + (d.isEmpty() ? "" : "(" + d + ")");
    }

    private static String shortNames(String head, List<Stage> stages, Datasink sink) {
        String names = stages.stream().map(s -> {
            String e = s.explain();
            int i = e.indexOf('[');
            String base = i < 0 ? e : e.substring(0, i);
            if (s instanceof dev.weft.data.internal.exec.MapBatchesStage m) {
                return base + "(" + m.name() + ")";
            }
            return base;
        }).collect(Collectors.joining("->"));
        String out = head + (names.isEmpty() ? "" : "->" + names);
        return sink != null ? out + "->Write" + sink.name() : out;
    }
}

package dev.weft.data.internal.optimizer;

import dev.weft.data.internal.exec.LimitStage;
import dev.weft.data.internal.exec.Stage;
import dev.weft.data.internal.plan.PhysicalOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuses neighbouring map-like physical operators so a block passes several transforms in one task without a
 * round trip through the object store: plain task maps run inside the read or map before them, plain task maps
 * before an actor map run inside the actors, a write runs in the tasks that produce its blocks, and a limit
 * also cuts each upstream task short.
 */
public final class MapFuseRule {
    /**
     * @param intoRead   fuse task maps into the read tasks
     * @param intoActors fuse plain task maps before/after an actor map into the actor calls
     */
    public record Config(boolean intoRead, boolean intoActors) {
        public static final Config DEFAULT = new Config(true, true);

        public Config withIntoRead(boolean v) {
            return new Config(v, intoActors);
        }

        public Config withIntoActors(boolean v) {
            return new Config(intoRead, v);
        }

        public MapFuseRule toRule() {
            return new MapFuseRule(this);
        }
    }

    private final Config config;

    private MapFuseRule(Config config) {
        this.config = config;
    }

    /** The plan (source first) with every fusible neighbour pair fused. */
    public List<PhysicalOp> apply(List<PhysicalOp> ops) {
        List<PhysicalOp> out = new ArrayList<>();
        for (PhysicalOp op : ops) {
            PhysicalOp prev = out.isEmpty() ? null : out.getLast();
            PhysicalOp fused = fuse(prev, op);
            if (fused != null) {
                out.set(out.size() - 1, fused);
            } else {
                if (op instanceof PhysicalOp.LimitOp limit) {
                    PhysicalOp cut = addTaskLimit(prev, limit.limit());
                    if (cut != null) {
                        out.set(out.size() - 1, cut);
                    }
                }
                out.add(op);
            }
        }
        return out;
    }

    private PhysicalOp fuse(PhysicalOp prev, PhysicalOp op) {
        if (prev == null) {
            return null;
        }
        boolean prevWrites = (prev instanceof PhysicalOp.ReadOp r && r.sink() != null)
                || (prev instanceof PhysicalOp.MapOp m && m.sink() != null);
        if (prevWrites) {
            return null;
        }
        if (op instanceof PhysicalOp.WriteOp w) {
            return switch (prev) {
                case PhysicalOp.ReadOp r -> r.with(List.of(), w.sink());
                case PhysicalOp.MapOp m -> m.with(List.of(), w.sink());
                default -> null;
            };
        }
        if (!(op instanceof PhysicalOp.MapOp map)) {
            return null;
        }
        if (map.fusible()) {
            return switch (prev) {
                case PhysicalOp.ReadOp r when config.intoRead() -> r.with(map.stages(), map.sink());
                case PhysicalOp.MapOp m when !m.compute().useActors() || config.intoActors() -> m.with(map.stages(), map.sink());
                default -> null;
            };
        }
        if (map.compute().useActors() && config.intoActors() && prev instanceof PhysicalOp.MapOp m && m.fusible()) {
            List<Stage> all = new ArrayList<>(m.stages());
            all.addAll(map.stages());
            return new PhysicalOp.MapOp(all, map.compute(), map.sink());
        }
        return null;
    }

    private static PhysicalOp addTaskLimit(PhysicalOp prev, long limit) {
        List<Stage> cut = List.of(new LimitStage(limit));
        return switch (prev) {
            case PhysicalOp.ReadOp r when r.sink() == null && !endsWithLimit(r.stages(), limit) -> r.with(cut, null);
            case PhysicalOp.MapOp m when m.sink() == null && !endsWithLimit(m.stages(), limit) -> m.with(cut, null);
            case null, default -> null;
        };
    }

    private static boolean endsWithLimit(List<Stage> stages, long limit) {
        return !stages.isEmpty() && stages.getLast() instanceof LimitStage l && l.limit() <= limit;
    }
}

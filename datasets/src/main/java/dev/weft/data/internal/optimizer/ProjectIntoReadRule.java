package dev.weft.data.internal.optimizer;

import dev.weft.data.SupportsProjectionPushdown;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.Projection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A column selection over a read (optionally through expression filters) makes the read yield only the
 * columns the selection and the filters use, for sources that {@link SupportsProjectionPushdown}. The
 * selection stays on top (it may compute expressions or reorder).
 */
public final class ProjectIntoReadRule implements LogicalRule {
    /** @param throughFilters also push through expression filters between the projection and the read */
    public record Config(boolean throughFilters) {
        public static final Config DEFAULT = new Config(true);

        public Config withThroughFilters(boolean through) {
            return new Config(through);
        }

        public ProjectIntoReadRule toRule() {
            return new ProjectIntoReadRule(this);
        }
    }

    private final Config config;

    private ProjectIntoReadRule(Config config) {
        this.config = config;
    }

    @Override
    public Optional<LogicalOp> onMatch(LogicalOp node) {
        if (!(node instanceof LogicalOp.Project project) || project.projection().requiredColumns().isEmpty()) {
            return Optional.empty();
        }
        Set<String> needed = new LinkedHashSet<>(project.projection().requiredColumns().get());
        List<LogicalOp.Filter> filters = new ArrayList<>();
        LogicalOp below = project.input();
        while (config.throughFilters() && below instanceof LogicalOp.Filter f) {
            filters.add(f);
            needed.addAll(f.predicate().columns());
            below = f.input();
        }
        if (!(below instanceof LogicalOp.Read read) || !(read.source() instanceof SupportsProjectionPushdown source)) {
            return Optional.empty();
        }
        List<String> columns = ordered(read, needed);
        if (read.pushedColumns() != null && read.pushedColumns().equals(columns)) {
            return Optional.empty();
        }
        LogicalOp rebuilt = new LogicalOp.Read(source.withColumns(columns), read.pushedFilters(), columns,
                read.pushedLimit());
        for (int i = filters.size() - 1; i >= 0; i--) {
            rebuilt = filters.get(i).withInput(rebuilt);
        }
        return Optional.of(project.withInput(rebuilt));
    }

    /** The needed columns in the source's order when its schema is known, else in first-use order. */
    private static List<String> ordered(LogicalOp.Read read, Set<String> needed) {
        var schema = read.source().schema();
        if (schema.isEmpty()) {
            return List.copyOf(needed);
        }
        List<String> out = new ArrayList<>();
        for (Field f : schema.get().getFields()) {
            if (needed.contains(f.getName())) {
                out.add(f.getName());
            }
        }
        for (String n : needed) {
            if (!out.contains(n)) {
                throw new IllegalArgumentException("column '" + n + "' does not exist in " + read.source().name()
                        + "; columns: " + schema.get().getFields().stream().map(Field::getName).toList());
            }
        }
        return out;
    }
}

package dev.weft.data.internal.optimizer;

import java.util.List;

/** The optimizer rules of the dataset planner, in one place (Calcite's {@code CoreRules} shape). */
public final class DatasetRules {
    public static final FilterMergeRule FILTER_MERGE = FilterMergeRule.Config.DEFAULT.toRule();
    public static final FilterIntoReadRule FILTER_INTO_READ = FilterIntoReadRule.Config.DEFAULT.toRule();
    public static final ProjectIntoReadRule PROJECT_INTO_READ = ProjectIntoReadRule.Config.DEFAULT.toRule();
    public static final LimitPushDownRule LIMIT_PUSH_DOWN = LimitPushDownRule.Config.DEFAULT.toRule();
    public static final MapFuseRule MAP_FUSE = MapFuseRule.Config.DEFAULT.toRule();
    public static final SortLimitToTopKRule SORT_LIMIT_TO_TOP_K = SortLimitToTopKRule.Config.DEFAULT.toRule();

    /** The logical rules applied by default, in priority order. */
    public static final List<LogicalRule> LOGICAL = List.of(FILTER_MERGE, FILTER_INTO_READ, PROJECT_INTO_READ, LIMIT_PUSH_DOWN,
            SORT_LIMIT_TO_TOP_K);

    private DatasetRules() {
    }
}

package dev.weft.sql.internal.rules;

import java.util.List;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.logical.LogicalAggregate;
import org.apache.calcite.rel.rules.AggregateExpandDistinctAggregatesRule;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.sql.SqlKind;

/** The rules of Weft's SQL planner, in the order the planner's phases use them. */
public final class WeftRules {
    private WeftRules() {
    }

    public static final TableScanToWeftRule TABLE_SCAN = TableScanToWeftRule.DEFAULT.toRule(TableScanToWeftRule.class);
    public static final FilterToWeftRule FILTER = FilterToWeftRule.DEFAULT.toRule(FilterToWeftRule.class);
    public static final ProjectToWeftRule PROJECT = ProjectToWeftRule.DEFAULT.toRule(ProjectToWeftRule.class);
    public static final AggregateToWeftRule AGGREGATE = AggregateToWeftRule.DEFAULT.toRule(AggregateToWeftRule.class);
    public static final JoinToWeftRule JOIN = JoinToWeftRule.DEFAULT.toRule(JoinToWeftRule.class);
    public static final SortToWeftRule SORT = SortToWeftRule.DEFAULT.toRule(SortToWeftRule.class);
    public static final UnionToWeftRule UNION = UnionToWeftRule.DEFAULT.toRule(UnionToWeftRule.class);
    public static final ValuesToWeftRule VALUES = ValuesToWeftRule.DEFAULT.toRule(ValuesToWeftRule.class);
    public static final WindowToWeftRule WINDOW = WindowToWeftRule.DEFAULT.toRule(WindowToWeftRule.class);

    /** Sub-queries (IN, EXISTS, scalar) into correlates, which decorrelation then turns into joins. */
    public static final List<RelOptRule> SUB_QUERIES = List.of(
            CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
            CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
            CoreRules.JOIN_SUB_QUERY_TO_CORRELATE);

    /**
     * SUM/AVG/STDDEV(DISTINCT x) as an aggregate over the distinct values (datasets' only distinct aggregate is
     * COUNT DISTINCT); only aggregates that need it, so COUNT(DISTINCT) stays one aggregate.
     */
    public static final RelOptRule EXPAND_DISTINCT = CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN.config
            .withOperandSupplier(b -> b.operand(LogicalAggregate.class).predicate(WeftRules::needsDistinctExpansion)
                    .anyInputs())
            .as(AggregateExpandDistinctAggregatesRule.Config.class)
            .toRule();

    private static boolean needsDistinctExpansion(Aggregate aggregate) {
        return aggregate.getAggCallList().stream().anyMatch(c -> c.isDistinct()
                && c.getAggregation().getKind() != SqlKind.COUNT && c.getAggregation().getKind() != SqlKind.MIN
                && c.getAggregation().getKind() != SqlKind.MAX);
    }

    /** Join conditions that are ORs of conjunctions with common conjuncts: those conjuncts pulled out. */
    public static final JoinPullFactorsRule JOIN_PULL_FACTORS = JoinPullFactorsRule.Config.DEFAULT.toRule();

    /** Logical rewrites: conditions into joins and towards scans, join keys as columns, merged projections. */
    public static final List<RelOptRule> LOGICAL = List.of(
            EXPAND_DISTINCT,
            CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW,
            CoreRules.FILTER_INTO_JOIN,
            JOIN_PULL_FACTORS,
            CoreRules.JOIN_CONDITION_PUSH,
            CoreRules.JOIN_PUSH_EXPRESSIONS,
            CoreRules.FILTER_PROJECT_TRANSPOSE,
            CoreRules.FILTER_AGGREGATE_TRANSPOSE,
            CoreRules.FILTER_MERGE,
            CoreRules.PROJECT_MERGE,
            CoreRules.PROJECT_REMOVE,
            CoreRules.AGGREGATE_PROJECT_MERGE,
            CoreRules.UNION_TO_DISTINCT);

    /**
     * Semi, anti and left joins on conditions other than column equalities, as joins on equalities (after
     * {@link #LOGICAL}, which moves conditions on one side alone into that side first, and after field trimming).
     */
    public static final JoinResidualToInnerJoinRule JOIN_RESIDUAL = JoinResidualToInnerJoinRule.Config.DEFAULT.toRule();

    /**
     * Distinct rows of one side of an inner join on equalities plus one {@code <>} (decorrelated EXISTS), as a join
     * with the other side's MIN and MAX per key.
     */
    public static final DistinctJoinNotEqualToMinMaxRule DISTINCT_JOIN_NOT_EQUAL =
            DistinctJoinNotEqualToMinMaxRule.Config.DEFAULT.toRule();

    public static final List<RelOptRule> RESIDUAL_JOINS = List.of(DISTINCT_JOIN_NOT_EQUAL, JOIN_RESIDUAL);

    /** Logical operators into the Weft convention. */
    public static final List<RelOptRule> CONVERSIONS = List.of(
            TABLE_SCAN, FILTER, PROJECT, AGGREGATE, JOIN, SORT, UNION, VALUES, WINDOW);
}

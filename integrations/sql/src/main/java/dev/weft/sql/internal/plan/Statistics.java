package dev.weft.sql.internal.plan;

import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.metadata.RelMdUtil;
import org.apache.calcite.rex.RexLiteral;

/**
 * What the planner knows of sizes: whether they rest on row counts from files (as opposed to Calcite's default
 * guesses), and estimates of rows and bytes built on them. The estimates take an inner join on keys to be a join
 * along a foreign key (as many rows as its larger side: with no distinct counts, the likely case), where Calcite
 * would multiply the sides' rows by a guessed selectivity and so rate any join above the tables it joins.
 */
final class Statistics {
    /** The share of its input an aggregate with grouping keys is taken to return. */
    private static final double GROUPS_PER_ROW = 0.1;

    private Statistics() {
    }

    /** Whether every table under {@code rel} has a row count from its files. */
    static boolean known(RelNode rel) {
        if (rel instanceof HepRelVertex v) {
            return known(v.getCurrentRel());
        }
        if (rel instanceof RelSubset s) {
            return s.getBest() != null && known(s.getBest());
        }
        if (rel instanceof WeftTableScan scan) {
            return scan.catalogTable().rowCount().isPresent();
        }
        if (rel.getInputs().isEmpty()) {
            return rel instanceof WeftValues;
        }
        return rel.getInputs().stream().allMatch(Statistics::known);
    }

    /** The estimated bytes of {@code rel}'s rows, or infinity when its tables' sizes are not known. */
    static double bytes(RelNode rel) {
        if (!known(rel)) {
            return Double.POSITIVE_INFINITY;
        }
        Double rowSize = rel.getCluster().getMetadataQuery().getAverageRowSize(rel);
        return rowSize == null ? Double.POSITIVE_INFINITY : rows(rel) * rowSize;
    }

    /** The estimated rows of {@code rel}. */
    static double rows(RelNode rel) {
        return switch (rel) {
            case HepRelVertex v -> rows(v.getCurrentRel());
            case RelSubset s -> s.getBest() != null ? rows(s.getBest()) : s.estimateRowCount(s.getCluster().getMetadataQuery());
            case TableScan t -> orCalcite(t);
            case Filter f -> rows(f.getInput()) * RelMdUtil.guessSelectivity(f.getCondition());
            case Project p -> rows(p.getInput());
            case Window w -> rows(w.getInput());
            case Aggregate a -> a.getGroupSet().isEmpty() ? 1 : Math.max(1, rows(a.getInput()) * GROUPS_PER_ROW);
            case Sort s when s.fetch instanceof RexLiteral l -> Math.min(rows(s.getInput()), l.getValueAs(Long.class));
            case Sort s -> rows(s.getInput());
            case Union u -> u.getInputs().stream().mapToDouble(Statistics::rows).sum();
            case Values v -> v.getTuples().size();
            case Join j -> join(j);
            default -> orCalcite(rel);
        };
    }

    private static double join(Join j) {
        double left = rows(j.getLeft());
        double right = rows(j.getRight());
        if (j.getJoinType() == JoinRelType.SEMI || j.getJoinType() == JoinRelType.ANTI) {
            return left;
        }
        boolean keyed = !j.analyzeCondition().leftKeys.isEmpty();
        double inner = keyed ? Math.max(left, right) : left * right;
        if (!keyed && !j.getCondition().isAlwaysTrue()) {
            inner *= RelMdUtil.guessSelectivity(j.getCondition());
        }
        return switch (j.getJoinType()) {
            case LEFT -> Math.max(inner, left);
            case RIGHT -> Math.max(inner, right);
            case FULL -> Math.max(inner, left + right);
            default -> inner;
        };
    }

    private static double orCalcite(RelNode rel) {
        Double rows = rel.getCluster().getMetadataQuery().getRowCount(rel);
        return rows == null ? Double.POSITIVE_INFINITY : rows;
    }
}

package dev.weft.sql.internal.planner;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.logical.LogicalJoin;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.tools.RelBuilder;

/**
 * The order of a tree of inner joins: the order in which the statement names its tables, except that a table no
 * condition connects to the tables joined so far waits until one does (the first connected table in statement order
 * goes first). A statement that lists {@code part, supplier, lineitem} with conditions only between lineitem and each
 * of the others joins {@code part} with {@code lineitem} first instead of building their cross product. Tables
 * nothing connects stay cross joins, in statement order. Which side of each join is built is decided later, from
 * sizes ({@code WeftJoin}). Stateless.
 */
final class JoinOrder {
    private JoinOrder() {
    }

    /** {@code root} with every tree of inner joins in connected order (a projection restores its fields' order). */
    static RelNode connected(RelNode root, RelBuilder builder) {
        return root.accept(new RelHomogeneousShuttle() {
            @Override
            public RelNode visit(RelNode other) {
                if (other instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER) {
                    return reorder(j, builder, this);
                }
                return super.visit(other);
            }
        });
    }

    private static RelNode reorder(LogicalJoin top, RelBuilder builder, RelHomogeneousShuttle inside) {
        List<RelNode> factors = new ArrayList<>();
        List<RexNode> conditions = new ArrayList<>();
        flatten(top, 0, factors, conditions);
        int n = factors.size();
        int[] start = new int[n + 1];
        for (int f = 0; f < n; f++) {
            start[f + 1] = start[f] + factors.get(f).getRowType().getFieldCount();
        }
        List<RelNode> visited = new ArrayList<>();
        for (RelNode f : factors) {
            visited.add(f.accept(inside));
        }
        List<RexNode> conjuncts = new ArrayList<>();
        for (RexNode c : conditions) {
            conjuncts.addAll(RelOptUtil.conjunctions(c));
        }
        List<BitSet> uses = new ArrayList<>();
        for (RexNode c : conjuncts) {
            BitSet factorsUsed = new BitSet();
            for (int field : RelOptUtil.InputFinder.bits(c)) {
                factorsUsed.set(factorOf(field, start));
            }
            uses.add(factorsUsed);
        }
        int[] order = order(n, uses);
        boolean same = true;
        for (int i = 0; i < n; i++) {
            same &= order[i] == i;
        }
        if (same) {
            return replaceFactors(top, visited.iterator());
        }
        return build(top, visited, order, start, conjuncts, uses, builder);
    }

    /** The factors of a tree of inner joins, left to right, and its conditions over their concatenated fields. */
    private static void flatten(RelNode rel, int offset, List<RelNode> factors, List<RexNode> conditions) {
        if (rel instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER) {
            flatten(j.getLeft(), offset, factors, conditions);
            flatten(j.getRight(), offset + j.getLeft().getRowType().getFieldCount(), factors, conditions);
            conditions.add(RexUtil.shift(j.getCondition(), offset));
        } else {
            factors.add(rel);
        }
    }

    private static int factorOf(int field, int[] start) {
        int f = 0;
        while (start[f + 1] <= field) {
            f++;
        }
        return f;
    }

    /** Statement order, each next factor the first one that a condition connects to those placed (if any is). */
    static int[] order(int n, List<BitSet> uses) {
        int[] order = new int[n];
        BitSet placed = new BitSet();
        order[0] = 0;
        placed.set(0);
        for (int k = 1; k < n; k++) {
            int next = -1;
            for (int f = 0; f < n && next < 0; f++) {
                if (!placed.get(f) && connects(f, placed, uses)) {
                    next = f;
                }
            }
            if (next < 0) {
                next = placed.nextClearBit(0);
            }
            order[k] = next;
            placed.set(next);
        }
        return order;
    }

    private static boolean connects(int f, BitSet placed, List<BitSet> uses) {
        for (BitSet u : uses) {
            if (u.get(f) && u.intersects(placed)) {
                BitSet rest = (BitSet) u.clone();
                rest.clear(f);
                rest.andNot(placed);
                if (rest.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static RelNode replaceFactors(RelNode rel, Iterator<RelNode> factors) {
        if (rel instanceof LogicalJoin j && j.getJoinType() == JoinRelType.INNER) {
            RelNode left = replaceFactors(j.getLeft(), factors);
            RelNode right = replaceFactors(j.getRight(), factors);
            return j.copy(j.getTraitSet(), List.of(left, right));
        }
        return factors.next();
    }

    private static RelNode build(LogicalJoin top, List<RelNode> factors, int[] order, int[] start,
                                 List<RexNode> conjuncts, List<BitSet> uses, RelBuilder builder) {
        RexBuilder rex = top.getCluster().getRexBuilder();
        int total = start[start.length - 1];
        int[] position = new int[total];
        BitSet placed = new BitSet();
        boolean[] applied = new boolean[conjuncts.size()];
        int width = 0;
        for (int k = 0; k < order.length; k++) {
            int f = order[k];
            builder.push(factors.get(f));
            for (int i = start[f]; i < start[f + 1]; i++) {
                position[i] = width + i - start[f];
            }
            width += start[f + 1] - start[f];
            placed.set(f);
            if (k == 0) {
                continue;
            }
            List<RexNode> here = new ArrayList<>();
            for (int c = 0; c < conjuncts.size(); c++) {
                BitSet rest = (BitSet) uses.get(c).clone();
                rest.andNot(placed);
                if (!applied[c] && rest.isEmpty()) {
                    applied[c] = true;
                    here.add(conjuncts.get(c).accept(new RexShuttle() {
                        @Override
                        public RexNode visitInputRef(RexInputRef ref) {
                            return new RexInputRef(position[ref.getIndex()], ref.getType());
                        }
                    }));
                }
            }
            builder.join(JoinRelType.INNER, RexUtil.composeConjunction(rex, here));
        }
        List<RexNode> fields = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            fields.add(builder.field(position[i]));
        }
        return builder.project(fields, top.getRowType().getFieldNames(), true).build();
    }
}

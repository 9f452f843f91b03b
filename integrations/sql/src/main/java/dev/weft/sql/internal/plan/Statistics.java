package dev.weft.sql.internal.plan;

import org.apache.calcite.plan.volcano.RelSubset;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.rel.RelNode;

/** What the planner knows of sizes for certain, as opposed to Calcite's default guesses. */
final class Statistics {
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
}

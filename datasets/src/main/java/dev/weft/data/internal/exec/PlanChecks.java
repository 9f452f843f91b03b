package dev.weft.data.internal.exec;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Plan checks run inside a task, on the first batch, where a stage's input schema was unknown at planning. */
final class PlanChecks {
    private PlanChecks() {
    }

    /** Runs {@code check}; when it fails, closes {@code batch} (the stage owns it) and rethrows. */
    static void onFirstBatch(VectorSchemaRoot batch, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
    }
}

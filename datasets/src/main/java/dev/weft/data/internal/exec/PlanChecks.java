package dev.weft.data.internal.exec;

import dev.weft.data.AnalysisException;
import dev.weft.data.internal.plan.LogicalOp;
import dev.weft.data.internal.plan.PlanAnalyzer;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Plan checks run during execution, where an operation's input schema was unknown when the plan was built (after
 * a {@code map} or {@code mapBatches}, or over materialized blocks): on a stage's first batch, or when an exchange
 * failed. They report the same {@link AnalysisException} the plan would have.
 */
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

    /**
     * The error to report for the failure {@code e} of {@code exchange}: an {@link AnalysisException} (with
     * {@code e} as its cause) when its keys do not fit its input's schema, found now; else {@code e}. Only runs
     * the check when the schema was unknown at planning and the failure names one of the exchange's columns:
     * finding the schema may read a block or run the input up to its first block, which a failure of user code
     * upstream must not cause.
     */
    static RuntimeException afterExchangeFailure(RuntimeException e, LogicalOp.AllToAll exchange,
                                                 Supplier<Schema> input, Supplier<Schema> right) {
        if (e instanceof AnalysisException || ExchangeAttempts.lostWork(e) || !namesAColumnOf(e, exchange.exchange())) {
            return e;
        }
        try {
            boolean leftKnown = PlanAnalyzer.analyze(exchange.input()) != null;
            switch (exchange.exchange()) {
                case Exchange.Sort s when !leftKnown -> PlanAnalyzer.checkSort(s.keys(), input.get());
                case Exchange.GroupBy g when !leftKnown -> PlanAnalyzer.checkGroupBy(g.keys(), g.aggregates(),
                        input.get());
                case Exchange.Join j -> {
                    boolean rightKnown = PlanAnalyzer.analyze((LogicalOp) j.right()) != null;
                    if (!leftKnown || !rightKnown) {
                        PlanAnalyzer.checkJoin(j.spec(), input.get(), right.get());
                    }
                }
                default -> { }
            }
        } catch (AnalysisException found) {
            return new AnalysisException(found, e);
        } catch (RuntimeException finding) {
            e.addSuppressed(finding);
        }
        return e;
    }

    private static boolean namesAColumnOf(Throwable e, Exchange exchange) {
        java.util.List<String> columns = new java.util.ArrayList<>();
        switch (exchange) {
            case Exchange.Sort s -> s.keys().forEach(k -> columns.add(k.column()));
            case Exchange.GroupBy g -> {
                columns.addAll(g.keys());
                g.aggregates().forEach(a -> columns.add(a.column()));
            }
            case Exchange.Join j -> {
                columns.addAll(j.spec().leftKeys());
                columns.addAll(j.spec().rightKeys());
            }
            default -> { }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (columns.stream().anyMatch(name -> name != null && m.contains("'" + name + "'"))) {
                return true;
            }
        }
        return false;
    }

    /** The schema of a stored block (reads it). */
    static Schema schemaOf(BlockRef block) {
        try (VectorSchemaRoot b = block.ref().get()) {
            return b.getSchema();
        }
    }
}

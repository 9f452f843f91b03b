package dev.weft.bench.macro;

import java.util.Map;

/**
 * One run of a workload on one engine: the wall time the engine measured around the workload's action, the check
 * values it returned (Long, Double, String, Boolean or lists of those) and optional details that are reported but
 * not compared (e.g. the phases of the plain Java baseline).
 */
record EngineRun(long nanos, Map<String, Object> checks, Map<String, Object> details) {

    EngineRun(long nanos, Map<String, Object> checks) {
        this(nanos, checks, Map.of());
    }
}

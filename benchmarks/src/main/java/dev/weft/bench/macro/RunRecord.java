package dev.weft.bench.macro;

import java.util.Map;

/**
 * One kept run of a workload on an engine.
 *
 * @param round 0 for the warm-up, 1.. for timed runs
 * @param nanos wall time the engine measured around the workload
 * @param wallNanos wall time the runner saw, including its request to the engine
 * @param othersShare share of the machine's CPU capacity other processes used during the run
 * @param ownShare share of the machine's CPU capacity the benchmark's processes used during the run
 * @param ownCpuSeconds CPU seconds the benchmark's processes (runner and Spark JVM) used during the run
 * @param stealShare share of the machine's CPU capacity the hypervisor stole during the run (reported only)
 * @param redone how many earlier attempts of this run were discarded because others used the CPU
 * @param noisy whether this run was still disturbed after the allowed redos (kept, but flagged)
 * @param details engine-specific figures that are reported but not compared
 */
record RunRecord(int round, long nanos, long wallNanos, double othersShare, double ownShare, double ownCpuSeconds,
        double stealShare,
        int redone,
        boolean noisy, Map<String, Object> details) {

    boolean warmup() {
        return round == 0;
    }
}

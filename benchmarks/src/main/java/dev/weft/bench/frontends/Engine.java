package dev.weft.bench.frontends;

/** One side of a comparison: runs the shape once and returns its timing and a check value. */
interface Engine {
    String name();

    Outcome run() throws Exception;

    /** Seconds of the part that is timed, and a value every engine of the shape must agree on. */
    record Outcome(double seconds, Object check) {
    }
}

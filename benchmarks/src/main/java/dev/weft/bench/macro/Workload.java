package dev.weft.bench.macro;

/** The macro workloads of {@code BENCHMARKS.md}, plus {@link #W4M}: issue 5's group-by of 20 M rows into 1 M groups, and
 * {@link #DEC}: issue 4's per-core Parquet decode against Spark's vectorized reader. */
public enum Workload {
    W1a("read events; y = x*2+1, us = upper(s) as columnar expressions; count, sum(y), max(us)"),
    W1b("W1a with a row-wise Java lambda (map)"),
    W1c("W1a with mapBatches (batch in, batch out; Spark: mapPartitions)"),
    W2("read events projecting (key, x); filter x < 0.5; count and sum(x)"),
    W3("read sortin; global sort by k; write Parquet"),
    W4("events group by key (100 k groups): count, sum(x), mean(x); collect all groups"),
    W4M("events1m group by key (1 M groups): count, sum(x), mean(x); collect all groups"),
    W5("events with key < 10000 inner join dim on key, broadcast dim; sum(weight*x)"),
    W6("SQL: SELECT key % 100 AS b, COUNT(*), SUM(x), AVG(x), MAX(s) FROM events WHERE x > 0.1 GROUP BY key % 100 ORDER BY b"),
    W7("events randomly shuffled to 64 partitions: count, sum(id), sum(key), sum(x), max(s), max(ts)"),
    DEC("Parquet decode on one core: every column of events read into columnar batches (Weft: Arrow vectors; "
            + "Spark: its vectorized reader); count, sum(id), sum(key), sum(x), max(s), max(ts)");

    private final String definition;

    Workload(String definition) {
        this.definition = definition;
    }

    public String definition() {
        return definition;
    }

    /** Whether the workload writes an output directory that the runner verifies and deletes after each run. */
    public boolean writesOutput() {
        return this == W3;
    }
}

package dev.weft.chaos;

import java.util.SplittableRandom;

/**
 * One seeded chaos case: a random pipeline on a random embedded cluster with one random fault. Everything about
 * the case follows from {@link #seed}, so a failing case is replayed by its seed alone.
 *
 * @param rows        rows of the source ({@code id}, {@code k = id % keys}, {@code v = id * 7919 % 1000})
 * @param keys        distinct values of {@code k}
 * @param parquet     read the source from Parquet files instead of {@code Datasets.range}
 * @param parallelism read tasks asked of the source
 * @param map         how the column {@code w} is computed
 * @param minActors   actor pool minimum (for {@link MapKind#ACTORS})
 * @param maxActors   actor pool maximum (for {@link MapKind#ACTORS})
 * @param batchSize   rows per {@code mapBatches} call
 * @param filter      drop rows whose {@code w % 4 == 0} after the map
 * @param exchange    the all-to-all operator
 * @param broadcast   broadcast hint for {@link Exchange#JOIN}
 * @param sink        how the result is consumed
 * @param nodes       virtual nodes
 * @param cpus        CPUs per node
 * @param storeBytes  object store bytes per node (0: the default)
 * @param fault       the fault injected
 * @param faultAt     when the fault strikes: a call index, a row id or a delay in milliseconds, by fault
 */
record ChaosCase(long seed, int rows, int keys, boolean parquet, int parallelism, MapKind map, int minActors,
                 int maxActors, int batchSize, boolean filter, Exchange exchange, boolean broadcast, Sink sink,
                 int nodes, int cpus, long storeBytes, Fault fault, long faultAt) {

    enum MapKind { ROW_TASKS, BATCH_TASKS, ACTORS }

    enum Exchange { NONE, GROUP_BY, SORT, JOIN, RANDOM_SHUFFLE }

    enum Sink { COUNT, TAKE_ALL, ITER_BATCHES, WRITE_PARQUET }

    enum Fault {
        /** Nothing injected: the answer must be exact. */
        NONE,
        /** A node other than the driver's dies {@code faultAt} ms after the job starts. */
        KILL_NODE_AT_TIME,
        /** The UDF's call number {@code faultAt} kills a node other than the driver's. */
        KILL_NODE_FROM_UDF,
        /** The UDF throws whenever it sees row {@code faultAt}: retries cannot help. */
        UDF_THROWS_ALWAYS,
        /** The UDF's call number {@code faultAt} throws, once. */
        UDF_THROWS_ONCE,
        /** The actor UDF's constructor throws. */
        UDF_CONSTRUCTOR_THROWS,
        /** The spill directory stops being writable {@code faultAt} ms after the job starts, under a small store. */
        SPILL_DIR_READ_ONLY,
        /** A store far smaller than the data. */
        TINY_STORE
    }

    static final long MIB = 1L << 20;

    static ChaosCase random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Fault fault = Fault.values()[r.nextInt(Fault.values().length)];
        int nodes = 1 + r.nextInt(4);
        if ((fault == Fault.KILL_NODE_AT_TIME || fault == Fault.KILL_NODE_FROM_UDF) && nodes < 2) {
            nodes = 2 + r.nextInt(3);
        }
        MapKind map = MapKind.values()[r.nextInt(MapKind.values().length)];
        if (fault == Fault.UDF_CONSTRUCTOR_THROWS) {
            map = MapKind.ACTORS;
        }
        int cpus = 1 + r.nextInt(2);
        if (map == MapKind.ACTORS && nodes * cpus < 2) {
            cpus = 2; // one CPU cannot hold an actor and feed it too: that configuration fails at once, by design
        }
        int minActors = 1 + r.nextInt(2);
        int maxActors = minActors + r.nextInt(3);
        boolean big = fault == Fault.TINY_STORE || fault == Fault.SPILL_DIR_READ_ONLY;
        int rows = big ? 200_000 + r.nextInt(400_000) : 5_000 + r.nextInt(120_000);
        int keys = 1 + r.nextInt(r.nextBoolean() ? 50 : 5_000);
        int batchSize = 512 + r.nextInt(16_384);
        long storeBytes = switch (fault) {
            case TINY_STORE -> (2 + r.nextInt(6)) * MIB;
            case SPILL_DIR_READ_ONLY -> (4 + r.nextInt(8)) * MIB;
            default -> r.nextInt(4) == 0 ? (32 + r.nextInt(64)) * MIB : 0;
        };
        long faultAt = switch (fault) {
            case KILL_NODE_AT_TIME, SPILL_DIR_READ_ONLY -> r.nextInt(400);
            case KILL_NODE_FROM_UDF, UDF_THROWS_ONCE -> map == MapKind.ROW_TASKS ? r.nextInt(Math.max(1, rows))
                    : r.nextInt(1 + rows / batchSize);
            case UDF_THROWS_ALWAYS -> r.nextInt(rows);
            default -> 0;
        };
        return new ChaosCase(seed, rows, keys, r.nextBoolean(), 1 + r.nextInt(16), map, minActors, maxActors,
                batchSize, r.nextBoolean(), Exchange.values()[r.nextInt(Exchange.values().length)], r.nextBoolean(),
                Sink.values()[r.nextInt(Sink.values().length)], nodes, cpus, storeBytes, fault, faultAt);
    }

    /** One line that says what the case does, for reports. */
    String describe() {
        String m = map == MapKind.ACTORS ? "actors(" + minActors + "," + maxActors + ")" : map.name().toLowerCase();
        return String.format("seed=%d %s rows=%d keys=%d par=%d map=%s batch=%d%s %s%s %s nodes=%dx%d store=%s fault=%s@%d",
                seed, parquet ? "parquet" : "range", rows, keys, parallelism, m, batchSize, filter ? " filter" : "",
                exchange, exchange == Exchange.JOIN && broadcast ? "(broadcast)" : "", sink, nodes, cpus,
                storeBytes == 0 ? "default" : storeBytes / MIB + "MiB", fault, faultAt);
    }
}

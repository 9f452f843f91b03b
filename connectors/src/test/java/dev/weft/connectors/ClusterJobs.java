package dev.weft.connectors;

import static dev.weft.data.Expr.col;

import dev.weft.data.Agg;
import dev.weft.data.Batch;
import dev.weft.data.BatchMapper;
import dev.weft.data.Dataset;
import dev.weft.data.Datasets;
import dev.weft.data.MapBatches;
import dev.weft.data.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The dataset jobs that run on the embedded engine and on a cluster of JVMs, each reduced to a list of strings
 * that must be equal on both (sorted where the job's order is not defined).
 */
final class ClusterJobs {
    private ClusterJobs() {
    }

    /** range → map → group-by/aggregate: 97 groups with their counts and sums, in key order. */
    static List<String> groupBy(long rows) {
        return groupBy(mapped(rows));
    }

    /** The input of {@link #groupBy(Dataset)}: range → map. */
    static Dataset mapped(long rows) {
        return Datasets.range(rows)
                .withColumn("k", col("id").mod(97L))
                .withColumn("v", col("id").times(2L));
    }

    static List<String> groupBy(Dataset mapped) {
        Dataset ds = mapped
                .groupBy("k").aggregate(Agg.count().as("c"), Agg.sum("v").as("s"))
                .sort("k");
        List<String> out = new ArrayList<>();
        for (Row r : ds.takeAll()) {
            out.add(r.getLong("k") + ":" + r.getLong("c") + ":" + r.get("s"));
        }
        return out;
    }

    /** A sort on a scrambled key, descending: every row's key in the sorted order, folded into a few checksums. */
    static List<String> sort(long rows) {
        return sort(scrambled(rows));
    }

    /** The input of {@link #sort(Dataset)}: range → a scrambled key r. */
    static Dataset scrambled(long rows) {
        return Datasets.range(rows).withColumn("r", col("id").times(7919L).mod(1_000_003L));
    }

    static List<String> sort(Dataset scrambled) {
        Dataset ds = scrambled.sort("r", true);
        List<Row> sorted = ds.takeAll();
        long prev = Long.MAX_VALUE;
        long inOrder = 0;
        long hash = 17;
        for (Row r : sorted) {
            long v = r.getLong("r");
            if (v <= prev) {
                inOrder++;
            }
            prev = v;
            hash = hash * 31 + r.getLong("id");
        }
        return List.of("rows=" + sorted.size(), "inOrder=" + inOrder, "hash=" + hash,
                "first=" + sorted.getFirst().getLong("r"), "last=" + sorted.getLast().getLong("r"));
    }

    /** mapBatches on an actor pool of one to two actors; the labels counted per value. */
    static List<String> actorPool(long rows) {
        Dataset ds = Datasets.range(rows)
                .mapBatches(Labeler::new, MapBatches.actors(1, 2).batchSize(10_000))
                .groupBy("label").aggregate(Agg.count().as("c"))
                .sort("label");
        List<String> out = new ArrayList<>();
        for (Row r : ds.takeAll()) {
            out.add(r.getString("label") + ":" + r.getLong("c"));
        }
        return out;
    }

    /** Parquet files read, filtered, written, read back and summed. */
    static List<String> parquet(Path in, Path out) {
        Dataset ds = Datasets.readParquet(in.toString()).filter(col("n").lt(50L)).select("id", "key", "x");
        ds.writeParquet(out.toString());
        List<Row> back = Datasets.readParquet(out.toString()).takeAll();
        long ids = 0;
        double xs = 0;
        long nullKeys = 0;
        for (Row r : back) {
            ids += r.getLong("id");
            xs += r.getDouble("x");
            nullKeys += r.isNull("key") ? 1 : 0;
        }
        return List.of("rows=" + back.size(), "ids=" + ids, "xs=" + Math.round(xs * 1000), "nullKeys=" + nullKeys);
    }

    /** Writes the input of {@link #parquet}: four files of 25,000 rows. */
    static void writeEvents(Path dir) throws Exception {
        for (int f = 0; f < 4; f++) {
            TestFiles.events(dir.resolve("part-" + f + ".parquet"), f * 25_000L, 25_000, 256 << 10, false, true);
        }
    }

    /** A stateful mapper (an actor pool's UDF): labels each id by its residue, with a prefix held as state. */
    static final class Labeler implements BatchMapper {
        private final String prefix = "L";

        @Override
        public Batch map(Batch b) {
            long[] ids = b.longs("id");
            String[] out = new String[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = prefix + (ids[i] % 7);
            }
            // the ids copied rather than kept: keep() transfers buffers, which fails across allocator roots
            return b.builder().put("id", ids).put("label", out).build();
        }
    }
}

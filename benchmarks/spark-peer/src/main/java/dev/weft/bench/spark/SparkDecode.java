package dev.weft.bench.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.execution.datasources.parquet.VectorizedParquetRecordReader;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The Spark side of the {@code DEC} workload: Spark's vectorized Parquet reader (the one its scans use, with its
 * default batch of 4,096 rows, on-heap column vectors as {@code spark.sql.columnVector.offheap.enabled=false})
 * decoding every column of every file on the calling thread, the values folded into the check values batch by
 * batch. No query plan around it: this is the reader alone, one core, as Weft's side is.
 */
final class SparkDecode {
    private static final int BATCH_ROWS = 4096;
    private static final List<String> COLUMNS = List.of("id", "key", "x", "s", "ts");

    private SparkDecode() {
    }

    static Map<String, Object> decode(String dir) {
        long count = 0;
        long sumId = 0;
        long sumKey = 0;
        double sumX = 0;
        long maxTs = Long.MIN_VALUE;
        UTF8String maxS = null;
        try {
            for (Path file : files(Path.of(dir))) {
                VectorizedParquetRecordReader reader = new VectorizedParquetRecordReader(false, BATCH_ROWS);
                try {
                    reader.initialize(file.toString(), COLUMNS);
                    ColumnarBatch batch = reader.resultBatch();
                    while (reader.nextBatch()) {
                        int n = batch.numRows();
                        count += n;
                        ColumnVector id = batch.column(0);
                        ColumnVector key = batch.column(1);
                        ColumnVector x = batch.column(2);
                        ColumnVector s = batch.column(3);
                        ColumnVector ts = batch.column(4);
                        for (int i = 0; i < n; i++) {
                            sumId += id.getLong(i);
                            sumKey += key.getLong(i);
                            sumX += x.getDouble(i);
                            maxTs = Math.max(maxTs, ts.getLong(i));
                            UTF8String v = s.getUTF8String(i);
                            if (maxS == null || v.compareTo(maxS) > 0) {
                                maxS = v.clone();
                            }
                        }
                    }
                } finally {
                    reader.close();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("count", count);
        checks.put("sum_id", sumId);
        checks.put("sum_key", sumKey);
        checks.put("sum_x", sumX);
        checks.put("max_s", maxS == null ? null : maxS.toString());
        checks.put("max_ts", maxTs);
        return checks;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no .parquet files in " + dir);
            }
            return files;
        }
    }
}

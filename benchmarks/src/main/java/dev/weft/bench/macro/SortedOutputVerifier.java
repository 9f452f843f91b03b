package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the sort workload ({@link Workload#W3}) from the bytes on disk, outside the timed part: reads the output
 * directory's Parquet files in name order and confirms {@code k} never decreases within or across files, and that
 * the rows are the input's (count, min, max and an order-independent checksum of every (k, payload) pair).
 */
final class SortedOutputVerifier {

    private SortedOutputVerifier() {
    }

    /** Check values of the unsorted input: rows, ordered (always true here), min_k, max_k, checksum. */
    static Map<String, Object> summarizeInput(Path sortin) throws IOException {
        Summary s = new Summary(false);
        for (Path f : ParquetColumnScan.files(sortin)) {
            s.file(f);
        }
        return s.checks(true);
    }

    /** Check values of a sorted output directory; {@code ordered} is false if any row is out of order. */
    static Map<String, Object> verifyOutput(Path out) throws IOException {
        Summary s = new Summary(true);
        List<Path> files = ParquetColumnScan.files(out);
        for (Path f : files) {
            s.file(f);
        }
        return s.checks(s.ordered);
    }

    /** The number of Parquet files in a sorted output (reported, not compared: engines split differently). */
    static int fileCount(Path out) throws IOException {
        return ParquetColumnScan.files(out).size();
    }

    private static final class Summary {
        private final boolean trackOrder;
        long rows;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long checksum;
        long previous = Long.MIN_VALUE;
        boolean ordered = true;
        String firstDisorder;

        Summary(boolean trackOrder) {
            this.trackOrder = trackOrder;
        }

        void file(Path f) throws IOException {
            long[] rowInFile = {0};
            ParquetColumnScan.scan(f, List.of("k", "payload"), c -> {
                long k = c.getLong(0);
                byte[] payload = c.getBinary(1).getBytesUnsafe();
                rows++;
                min = Math.min(min, k);
                max = Math.max(max, k);
                // Sum of a per-row mix: independent of row order, sensitive to a k separated from its payload.
                checksum += k * 0x9E3779B97F4A7C15L ^ Arrays.hashCode(payload);
                if (trackOrder && k < previous && ordered) {
                    ordered = false;
                    firstDisorder = "%s row %d: k %d after %d".formatted(f.getFileName(), rowInFile[0], k, previous);
                }
                previous = k;
                rowInFile[0]++;
            });
        }

        Map<String, Object> checks(boolean orderedValue) {
            Map<String, Object> checks = new LinkedHashMap<>();
            checks.put("rows", rows);
            checks.put("ordered", orderedValue);
            checks.put("min_k", min);
            checks.put("max_k", max);
            checks.put("checksum", checksum);
            if (!orderedValue && firstDisorder != null) {
                checks.put("first_disorder", firstDisorder);
            }
            return checks;
        }
    }
}

package dev.weft.bench.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The datasets of {@code BENCHMARKS.md}, row for row: each file's rows are drawn in order from a
 * {@link SplittableRandom} seeded per file, so every engine reads the same bytes and the figures are comparable.
 * {@link #EVENTS_1M} is the events layout with 1,000,000 distinct keys, for issue 5's group-by against a plain
 * Java hash aggregation.
 */
public enum BenchDataset {
    EVENTS("events", 16, 1_250_000L, 1_000_000L, """
            message events {
              required int64 id;
              required int64 key;
              required double x;
              required binary s (STRING);
              required int64 ts;
            }"""),
    EVENTS_1M("events1m", 16, 1_250_000L, 4_000_000L, """
            message events1m {
              required int64 id;
              required int64 key;
              required double x;
              required binary s (STRING);
              required int64 ts;
            }"""),
    DIM("dim", 1, 10_000L, 2_000_000L, """
            message dim {
              required int64 key;
              required binary name (STRING);
              required double weight;
            }"""),
    SORTIN("sortin", 16, 1_250_000L, 3_000_000L, """
            message sortin {
              required int64 k;
              required binary payload;
            }""");

    private final String dirName;
    private final int files;
    private final long fullRowsPerFile;
    private final long seedBase;
    private final MessageType schema;

    BenchDataset(String dirName, int files, long fullRowsPerFile, long seedBase, String schema) {
        this.dirName = dirName;
        this.files = files;
        this.fullRowsPerFile = fullRowsPerFile;
        this.seedBase = seedBase;
        this.schema = MessageTypeParser.parseMessageType(schema);
    }

    /** The directory name under the data root, e.g. {@code events}. */
    public String dirName() {
        return dirName;
    }

    public int files() {
        return files;
    }

    public MessageType schema() {
        return schema;
    }

    /**
     * Rows per file at the given scale. {@link #DIM} is a dimension table keyed 0..9999 and keeps its size at any
     * scale, so the join's selectivity does not change with the scale.
     */
    public long rowsPerFile(double scale) {
        if (this == DIM) {
            return fullRowsPerFile;
        }
        return Math.max(1L, Math.round(fullRowsPerFile * scale));
    }

    public long totalRows(double scale) {
        return rowsPerFile(scale) * files;
    }

    /** The file name of file {@code f}, e.g. {@code part-00003.parquet}. */
    public String fileName(int f) {
        return "part-%05d.parquet".formatted(f);
    }

    /** A generator of file {@code f}'s rows at the given scale; call {@link FileRows#next()} before each row. */
    FileRows rows(int f, double scale) {
        SplittableRandom rng = new SplittableRandom(seedBase + f);
        long rowsPerFile = rowsPerFile(scale);
        return switch (this) {
            case EVENTS -> new EventRows(rng, f * rowsPerFile, 100_000L);
            case EVENTS_1M -> new EventRows(rng, f * rowsPerFile, 1_000_000L);
            case DIM -> new DimRows(rng);
            case SORTIN -> new SortRows(rng);
        };
    }

    /** {@code letters(rng, n)} of BENCHMARKS.md: n chars {@code 'a' + rng.nextInt(26)}, as UTF-8 (ASCII) bytes. */
    static byte[] letters(SplittableRandom rng, int n) {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) ('a' + rng.nextInt(26));
        }
        return out;
    }

    /** The rows of one file, produced in order. */
    abstract static class FileRows implements RowEmitter {
        /** Draws the next row from the file's random generator. */
        abstract void next();
    }

    private static final class EventRows extends FileRows {
        private final SplittableRandom rng;
        private final long keys;
        private long id;
        private long key;
        private double x;
        private byte[] s;
        private long ts;

        EventRows(SplittableRandom rng, long firstId, long keys) {
            this.rng = rng;
            this.keys = keys;
            this.id = firstId - 1;
        }

        @Override
        void next() {
            id++;
            key = rng.nextLong(keys);
            x = rng.nextDouble();
            s = letters(rng, 16);
            ts = 1_700_000_000_000L + id * 1000 + rng.nextInt(1000);
        }

        @Override
        public void emitFields(RecordConsumer c) {
            c.startField("id", 0);
            c.addLong(id);
            c.endField("id", 0);
            c.startField("key", 1);
            c.addLong(key);
            c.endField("key", 1);
            c.startField("x", 2);
            c.addDouble(x);
            c.endField("x", 2);
            c.startField("s", 3);
            c.addBinary(Binary.fromConstantByteArray(s));
            c.endField("s", 3);
            c.startField("ts", 4);
            c.addLong(ts);
            c.endField("ts", 4);
        }
    }

    private static final class DimRows extends FileRows {
        private final SplittableRandom rng;
        private long key = -1;
        private byte[] name;
        private double weight;

        DimRows(SplittableRandom rng) {
            this.rng = rng;
        }

        @Override
        void next() {
            key++;
            name = letters(rng, 12);
            weight = rng.nextDouble();
        }

        @Override
        public void emitFields(RecordConsumer c) {
            c.startField("key", 0);
            c.addLong(key);
            c.endField("key", 0);
            c.startField("name", 1);
            c.addBinary(Binary.fromConstantByteArray(name));
            c.endField("name", 1);
            c.startField("weight", 2);
            c.addDouble(weight);
            c.endField("weight", 2);
        }
    }

    private static final class SortRows extends FileRows {
        private final SplittableRandom rng;
        private long k;
        private byte[] payload;

        SortRows(SplittableRandom rng) {
            this.rng = rng;
        }

        @Override
        void next() {
            k = rng.nextLong();
            payload = new byte[64];
            ByteBuffer buf = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < 8; j++) {
                buf.putLong(rng.nextLong());
            }
        }

        @Override
        public void emitFields(RecordConsumer c) {
            c.startField("k", 0);
            c.addLong(k);
            c.endField("k", 0);
            c.startField("payload", 1);
            c.addBinary(Binary.fromConstantByteArray(payload));
            c.endField("payload", 1);
        }
    }
}

package dev.weft.bench.connectors;

import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.ReadSettings;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import dev.weft.connectors.internal.parquet.ParquetFragment;
import dev.weft.connectors.internal.parquet.ParquetFragmentReader;
import dev.weft.connectors.internal.parquet.ParquetSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Single-thread Parquet decode: Weft's column-chunk decoder into Arrow vectors against parquet-mr's own row reader
 * ({@code GroupReadSupport}) on the same files of the BENCHMARKS.md {@code events} data set (snappy, one row group
 * per file, plain encoding, required columns). Runs 1 warm-up and 3 timed passes per reader, alternating, and
 * prints rows/s and MB/s (compressed file bytes and uncompressed column bytes) per core and the ratio.
 *
 * <p>Arguments: {@code [dir] [files]} (default {@code target/bench-data/events}, 2 files of 1,250,000 rows each).
 */
public final class ParquetDecodeBench {
    static final MessageType EVENTS = MessageTypeParser.parseMessageType("message events { required int64 id; "
            + "required int64 key; required double x; required binary s (STRING); required int64 ts; }");
    static final int ROWS_PER_FILE = 1_250_000;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench-data/events");
        int files = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Path> paths = generate(dir, files);
        Configuration conf = HadoopConf.of(Map.of());
        long fileBytes = 0;
        long uncompressed = 0;
        for (Path p : paths) {
            fileBytes += Files.size(p);
            ParquetMetadata m = ParquetFileReader.readFooter(conf, new org.apache.hadoop.fs.Path(p.toString()),
                    ParquetMetadataConverter.NO_FILTER);
            for (BlockMetaData b : m.getBlocks()) {
                for (ColumnChunkMetaData c : b.getColumns()) {
                    uncompressed += c.getTotalUncompressedSize();
                }
            }
        }
        long rows = (long) files * ROWS_PER_FILE;
        long[] weft = new long[3];
        long[] group = new long[3];
        long checkWeft = 0;
        long checkGroup = 0;
        try (BufferAllocator allocator = new RootAllocator()) {
            checkWeft = weft(paths, conf, allocator);
            checkGroup = groups(paths, conf);
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                checkWeft = weft(paths, conf, allocator);
                weft[i] = System.nanoTime() - t0;
                t0 = System.nanoTime();
                checkGroup = groups(paths, conf);
                group[i] = System.nanoTime() - t0;
            }
        }
        if (checkWeft != checkGroup) {
            throw new IllegalStateException("readers disagree: weft checksum " + checkWeft + ", parquet-mr " + checkGroup);
        }
        long w = median(weft);
        long g = median(group);
        System.out.printf("machine: cores=%d jdk=%s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf("data: %d files, %,d rows, %,d bytes on disk (snappy), %,d bytes uncompressed%n",
                files, rows, fileBytes, uncompressed);
        report("weft column chunks -> Arrow", w, rows, fileBytes, uncompressed);
        report("parquet-mr GroupReadSupport rows", g, rows, fileBytes, uncompressed);
        System.out.printf("ratio (weft time / parquet-mr time): %.3f  (speed-up %.2fx); checksum %d%n",
                (double) w / g, (double) g / w, checkWeft);
    }

    static void report(String name, long nanos, long rows, long fileBytes, long uncompressed) {
        double s = nanos / 1e9;
        System.out.printf("%-36s median %8.3f s  %8.2f M rows/s  %8.1f MB/s (file)  %8.1f MB/s (uncompressed)%n",
                name, s, rows / s / 1e6, fileBytes / s / 1e6, uncompressed / s / 1e6);
    }

    static long median(long[] a) {
        long[] c = a.clone();
        java.util.Arrays.sort(c);
        return c[c.length / 2];
    }

    /** Decodes every column into Arrow and folds them into a checksum so nothing is optimised away. */
    static long weft(List<Path> paths, Configuration conf, BufferAllocator allocator) throws IOException {
        Schema schema = ParquetSchemas.toArrow(EVENTS, "events");
        long check = 0;
        for (Path p : paths) {
            InputFile f = new InputFile(p.toUri().toString(), Files.size(p), List.of(), List.of());
            ParquetFragment frag = new ParquetFragment(f, List.of(0), ROWS_PER_FILE, 0);
            try (ParquetFragmentReader r = new ParquetFragmentReader(frag, schema, Partitioning.NONE,
                    new ReadSettings(65_536, Long.MAX_VALUE, false), conf, allocator, new ReadCounters())) {
                VectorSchemaRoot b;
                while ((b = r.next()) != null) {
                    try (VectorSchemaRoot batch = b) {
                        BigIntVector id = (BigIntVector) b.getVector(0);
                        BigIntVector key = (BigIntVector) b.getVector(1);
                        Float8Vector x = (Float8Vector) b.getVector(2);
                        VarCharVector s = (VarCharVector) b.getVector(3);
                        BigIntVector ts = (BigIntVector) b.getVector(4);
                        for (int i = 0; i < b.getRowCount(); i++) {
                            check += id.get(i) ^ key.get(i) ^ ts.get(i) ^ Double.doubleToRawLongBits(x.get(i))
                                    ^ s.getValueLength(i) ^ s.getDataBuffer().getByte(s.getStartOffset(i));
                        }
                    }
                }
            }
        }
        return check;
    }

    /** parquet-mr's row-by-row reader, materialising Group records, with the same checksum. */
    static long groups(List<Path> paths, Configuration conf) throws IOException {
        long check = 0;
        for (Path p : paths) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(p.toString())).withConf(conf).build()) {
                Group g;
                while ((g = r.read()) != null) {
                    byte[] s = g.getBinary(3, 0).getBytesUnsafe();
                    check += g.getLong(0, 0) ^ g.getLong(1, 0) ^ g.getLong(4, 0)
                            ^ Double.doubleToRawLongBits(g.getDouble(2, 0)) ^ s.length ^ s[0];
                }
            }
        }
        return check;
    }

    /** The first {@code files} files of BENCHMARKS.md's events data set, generated if absent. */
    static List<Path> generate(Path dir, int files) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        SimpleGroupFactory factory = new SimpleGroupFactory(EVENTS);
        for (int f = 0; f < files; f++) {
            Path p = dir.resolve(String.format("part-%02d.parquet", f));
            out.add(p);
            if (Files.exists(p)) {
                continue;
            }
            Path tmp = dir.resolve(String.format(".part-%02d.parquet.tmp", f));
            Files.deleteIfExists(tmp);
            SplittableRandom rng = new SplittableRandom(1_000_000 + f);
            try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(tmp.toString()))
                    .withType(EVENTS).withConf(new Configuration()).withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withRowGroupSize(1L << 30).withDictionaryEncoding(false)
                    .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0).build()) {
                char[] letters = new char[16];
                for (int i = 0; i < ROWS_PER_FILE; i++) {
                    long id = (long) f * ROWS_PER_FILE + i;
                    long key = rng.nextLong(100_000);
                    double x = rng.nextDouble();
                    for (int c = 0; c < 16; c++) {
                        letters[c] = (char) ('a' + rng.nextInt(26));
                    }
                    long ts = 1_700_000_000_000L + id * 1000 + rng.nextInt(1000);
                    w.write(factory.newGroup().append("id", id).append("key", key).append("x", x)
                            .append("s", new String(letters)).append("ts", ts));
                }
            }
            Files.move(tmp, p);
        }
        return out;
    }
}

package dev.weft.connectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.connectors.internal.parquet.ParquetBatchWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParquetReadWriteTest {
    @TempDir
    Path dir;
    final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void leakCheck() {
        allocator.close(); // fails if any batch leaked
    }

    static final Schema ALL_TYPES = new Schema(List.of(
            Field.nullable("b", ArrowType.Bool.INSTANCE),
            Field.nullable("i8", new ArrowType.Int(8, true)),
            Field.nullable("i16", new ArrowType.Int(16, true)),
            Field.nullable("i32", new ArrowType.Int(32, true)),
            new Field("i64", FieldType.notNullable(new ArrowType.Int(64, true)), null),
            Field.nullable("f32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
            Field.nullable("f64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
            Field.nullable("s", ArrowType.Utf8.INSTANCE),
            Field.nullable("bin", ArrowType.Binary.INSTANCE),
            Field.nullable("fixed", new ArrowType.FixedSizeBinary(4)),
            Field.nullable("d", new ArrowType.Date(DateUnit.DAY)),
            Field.nullable("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
            Field.nullable("dec", new ArrowType.Decimal(10, 2, 128)),
            Field.nullable("bigdec", new ArrowType.Decimal(30, 3, 128))));

    /** Row r of the all-types table; every 7th row (except i64) is null. */
    static void fill(VectorSchemaRoot root, int rows, int offset) {
        root.allocateNew();
        for (int k = 0; k < rows; k++) {
            int r = k + offset;
            boolean nul = r % 7 == 3;
            if (!nul) {
                ((BitVector) root.getVector("b")).setSafe(k, r % 2);
                ((TinyIntVector) root.getVector("i8")).setSafe(k, (byte) (r % 100 - 50));
                ((SmallIntVector) root.getVector("i16")).setSafe(k, (short) (r * 3 - 1000));
                ((IntVector) root.getVector("i32")).setSafe(k, r % 13 == 0 ? Integer.MIN_VALUE : r * 1000);
                ((Float4Vector) root.getVector("f32")).setSafe(k, r * 0.5f);
                ((Float8Vector) root.getVector("f64")).setSafe(k, r % 11 == 0 ? Double.NaN : r / 3.0);
                ((VarCharVector) root.getVector("s")).setSafe(k, ("str-" + (r % 5) + "-é").getBytes(StandardCharsets.UTF_8));
                ((VarBinaryVector) root.getVector("bin")).setSafe(k, new byte[] {(byte) r, 0, (byte) (r >> 8)});
                ((FixedSizeBinaryVector) root.getVector("fixed")).setSafe(k, new byte[] {1, 2, 3, (byte) r});
                ((DateDayVector) root.getVector("d")).setSafe(k, 19000 + r);
                ((TimeStampMicroTZVector) root.getVector("ts")).setSafe(k, 1_700_000_000_000_000L + r);
                ((DecimalVector) root.getVector("dec")).setSafe(k, new BigDecimal(r + ".25"));
                ((DecimalVector) root.getVector("bigdec")).setSafe(k, new BigDecimal("123456789012345678901." + (r % 1000)).setScale(3));
            }
            ((BigIntVector) root.getVector("i64")).setSafe(k, r % 17 == 0 ? Long.MAX_VALUE - r : (long) r * r);
        }
        root.setRowCount(rows);
    }

    void write(Path file, Schema schema, CompressionCodecName codec, boolean dictionary, long rowGroupBytes,
            int batches, int rowsPerBatch) throws Exception {
        try (ParquetBatchWriter w = new ParquetBatchWriter(file.toString(), schema,
                new ParquetBatchWriter.Options(codec, rowGroupBytes, 64 << 10, dictionary), new Configuration());
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            for (int b = 0; b < batches; b++) {
                fill(root, rowsPerBatch, b * rowsPerBatch);
                w.write(root);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"SNAPPY,true", "ZSTD,false", "UNCOMPRESSED,true", "GZIP,false"})
    void everyTypeWithNullsRoundTrips(CompressionCodecName codec, boolean dictionary) throws Exception {
        Path file = dir.resolve("all.parquet");
        write(file, ALL_TYPES, codec, dictionary, 128L << 20, 3, 2000);
        Reads.Result res = Reads.readAll(new ParquetConnector().createSource(List.of(file.toString()),
                Reads.opts("batchRows", "4096")), allocator);
        assertEquals(6000, res.rows().size());
        try (VectorSchemaRoot expected = VectorSchemaRoot.create(ALL_TYPES, allocator)) {
            fill(expected, 6000, 0);
            for (int r = 0; r < 6000; r++) {
                for (int c = 0; c < ALL_TYPES.getFields().size(); c++) {
                    Object want = expected.getVector(c).getObject(r);
                    Object got = res.rows().get(r).get(c);
                    if (want instanceof byte[] wb) {
                        assertArrayEquals(wb, (byte[]) got, "row " + r + " column " + c);
                    } else if (want == null) {
                        assertNull(got, "row " + r + " column " + ALL_TYPES.getFields().get(c).getName());
                    } else {
                        assertEquals(want.toString(), got.toString(), "row " + r + " column " + ALL_TYPES.getFields().get(c).getName());
                    }
                }
            }
        }
        assertEquals(ALL_TYPES, new ParquetConnector().createSource(List.of(file.toString()), Reads.opts()).schema().orElseThrow());
    }
}

package dev.weft.connectors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Parquet files written by parquet-mr's own example writer, independent of the connector's writer. */
final class TestFiles {
    private TestFiles() {}

    static final MessageType EVENTS = MessageTypeParser.parseMessageType(
            "message events { required int64 id; optional int64 key; optional double x; optional binary s (STRING); "
                    + "optional int32 n; optional boolean flag; optional float f; }");

    /**
     * Writes {@code rows} rows with id = first + i, key = id % 10 (null every 9th row), x = id / 1000.0,
     * s = "v" + (id % 4), n = id % 100, flag = id even, f = id / 2f. Small row groups so statistics prune.
     */
    static void events(Path file, long first, int rows, long rowGroupBytes, boolean v2, boolean dictionary)
            throws IOException {
        Files.createDirectories(file.getParent());
        SimpleGroupFactory g = new SimpleGroupFactory(EVENTS);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toString()))
                .withType(EVENTS)
                .withConf(new Configuration())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(rowGroupBytes)
                .withPageSize(4096)
                .withDictionaryEncoding(dictionary)
                .withWriterVersion(v2 ? ParquetProperties.WriterVersion.PARQUET_2_0 : ParquetProperties.WriterVersion.PARQUET_1_0)
                .build()) {
            for (int i = 0; i < rows; i++) {
                long id = first + i;
                Group r = g.newGroup().append("id", id);
                if (id % 9 != 4) {
                    r.append("key", id % 10);
                }
                r.append("x", id / 1000.0).append("s", "v" + (id % 4)).append("n", (int) (id % 100))
                        .append("flag", id % 2 == 0).append("f", id / 2f);
                w.write(r);
            }
        }
    }
}

package dev.weft.connectors.internal.text;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.fs.InputFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/** Text files: one row per line (UTF-8, {@code \n} or {@code \r\n} endings removed), in the column {@code text}. */
public record LinesFormat() implements TextFormat {
    public static final Schema SCHEMA = new Schema(List.of(
            new Field("text", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null)));

    @Override
    public String name() {
        return "Text";
    }

    @Override
    public Schema inferSchema(InputFile file, Configuration conf) {
        return SCHEMA;
    }

    @Override
    public BatchReader open(InputFile file, Schema dataSchema, Configuration conf, BatchBuilder builder,
            ReadCounters counters, long limit) {
        return new BatchReader() {
            private BufferedReader in;
            private long left = limit;
            private long line;
            private boolean done;

            @Override
            public VectorSchemaRoot next() {
                if (done) {
                    return null;
                }
                try {
                    if (in == null) {
                        in = new BufferedReader(new InputStreamReader(
                                new CountingInput(TextInput.open(file.path(), conf), counters), StandardCharsets.UTF_8),
                                1 << 16);
                        counters.addFilesOpened(1);
                    }
                    while (left > 0 && !builder.full()) {
                        String s = in.readLine();
                        if (s == null) {
                            done = true;
                            break;
                        }
                        line++;
                        if (builder.wants(0)) {
                            ((VarCharVector) builder.vector(0)).setSafe(builder.row(), s.getBytes(StandardCharsets.UTF_8));
                        }
                        builder.endRow();
                        left--;
                    }
                } catch (IOException e) {
                    throw new FileReadException(file.path(), "line " + (line + 1), "cannot read (" + e.getMessage() + ")", e);
                }
                if (left == 0) {
                    done = true;
                }
                VectorSchemaRoot b = builder.finish();
                if (b != null) {
                    counters.addRowsRead(b.getRowCount());
                }
                return b;
            }

            @Override
            public void close() {
                done = true;
                builder.close();
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException e) {
                        // read-only input
                    }
                    in = null;
                }
            }
        };
    }
}

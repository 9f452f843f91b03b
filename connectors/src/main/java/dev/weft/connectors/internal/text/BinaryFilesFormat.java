package dev.weft.connectors.internal.text;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.fs.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Binary files: one row per file with its {@code path} and its raw {@code bytes} (files up to 2 GiB). */
public record BinaryFilesFormat() implements TextFormat {
    public static final Schema SCHEMA = new Schema(List.of(
            new Field("path", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null),
            new Field("bytes", FieldType.notNullable(ArrowType.Binary.INSTANCE), null)));

    @Override
    public String name() {
        return "BinaryFiles";
    }

    @Override
    public Schema inferSchema(InputFile file, Configuration conf) {
        return SCHEMA;
    }

    @Override
    public BatchReader open(InputFile file, Schema dataSchema, Configuration conf, BatchBuilder builder,
            ReadCounters counters, long limit) {
        return new BatchReader() {
            private boolean done;

            @Override
            public VectorSchemaRoot next() {
                if (done) {
                    return null;
                }
                done = true;
                if (limit == 0) {
                    return null;
                }
                if (builder.wants(1)) {
                    if (file.length() > Integer.MAX_VALUE - 64) {
                        throw new FileReadException(file.path(), "", "the file has " + file.length()
                                + " bytes; binary files are read whole and must be under 2 GiB", null);
                    }
                    Path p = new Path(file.path());
                    byte[] bytes = new byte[(int) file.length()];
                    try (InputStream in = TextInput.openRaw(file.path(), conf)) {
                        int off = 0;
                        while (off < bytes.length) {
                            int n = in.read(bytes, off, bytes.length - off);
                            if (n < 0) {
                                throw new IOException("file shrank to " + off + " bytes while reading " + p);
                            }
                            off += n;
                        }
                    } catch (IOException e) {
                        throw new FileReadException(file.path(), "", "cannot read (" + e.getMessage() + ")", e);
                    }
                    counters.addBytesRead(bytes.length);
                    ((VarBinaryVector) builder.vector(1)).setSafe(builder.row(), bytes);
                }
                counters.addFilesOpened(1);
                if (builder.wants(0)) {
                    ((VarCharVector) builder.vector(0)).setSafe(builder.row(), file.path().getBytes(StandardCharsets.UTF_8));
                }
                builder.endRow();
                VectorSchemaRoot b = builder.finish();
                counters.addRowsRead(1);
                return b;
            }

            @Override
            public void close() {
                done = true;
                builder.close();
            }
        };
    }
}

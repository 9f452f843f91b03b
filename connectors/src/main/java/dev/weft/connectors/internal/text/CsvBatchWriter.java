package dev.weft.connectors.internal.text;

import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.weft.connectors.internal.BatchWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Writes batches as CSV (header row, quoting as needed, null as an empty field) with Jackson's CSV generator. */
public final class CsvBatchWriter implements BatchWriter {
    private static final CsvFactory FACTORY = new CsvFactory();
    private final CsvGenerator gen;
    private final String path;
    private long rows;
    private boolean closed;

    public CsvBatchWriter(String path, Schema schema, char delimiter, boolean header, Configuration conf)
            throws IOException {
        this.path = path;
        Path p = new Path(path);
        OutputStream out = p.getFileSystem(conf).create(p, false);
        CsvSchema.Builder b = CsvSchema.builder().setColumnSeparator(delimiter).setUseHeader(header);
        for (Field f : schema.getFields()) {
            b.addColumn(f.getName());
        }
        gen = FACTORY.createGenerator(out);
        gen.setSchema(b.build());
    }

    @Override
    public void write(VectorSchemaRoot batch) {
        List<FieldVector> vs = batch.getFieldVectors();
        try {
            for (int r = 0; r < batch.getRowCount(); r++) {
                gen.writeStartArray();
                for (FieldVector v : vs) {
                    String s = TextValues.format(v, r);
                    if (s == null) {
                        gen.writeNull();
                    } else {
                        gen.writeString(s);
                    }
                }
                gen.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + " at row " + rows, e);
        }
        rows += batch.getRowCount();
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path, e);
        }
    }
}

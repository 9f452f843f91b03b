package dev.weft.connectors.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.weft.connectors.internal.BatchWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Writes batches as JSON lines: one object per row, null fields omitted, integers and finite floats as numbers,
 * NaN and infinities as strings, other types in their {@link TextValues} form.
 */
public final class JsonBatchWriter implements BatchWriter {
    private static final JsonFactory FACTORY = new JsonFactory();
    private final JsonGenerator gen;
    private final String path;
    private final String[] names;
    private long rows;
    private boolean closed;

    public JsonBatchWriter(String path, Schema schema, Configuration conf) throws IOException {
        this.path = path;
        Path p = new Path(path);
        OutputStream out = dev.weft.connectors.internal.fs.HadoopFiles.fs(p, conf).create(p, false);
        gen = FACTORY.createGenerator(out);
        gen.setRootValueSeparator(new SerializedString("\n"));
        names = schema.getFields().stream().map(f -> f.getName()).toArray(String[]::new);
    }

    @Override
    public void write(VectorSchemaRoot batch) {
        List<FieldVector> vs = batch.getFieldVectors();
        try {
            for (int r = 0; r < batch.getRowCount(); r++) {
                gen.writeStartObject();
                for (int c = 0; c < names.length; c++) {
                    FieldVector v = vs.get(c);
                    if (v.isNull(r)) {
                        continue;
                    }
                    gen.writeFieldName(names[c]);
                    switch (v) {
                        case BaseIntVector i -> gen.writeNumber(i.getValueAsLong(r));
                        case FloatingPointVector f -> {
                            double d = f.getValueAsDouble(r);
                            if (Double.isFinite(d)) {
                                gen.writeNumber(d);
                            } else {
                                gen.writeString(Double.toString(d));
                            }
                        }
                        case BitVector b -> gen.writeBoolean(b.get(r) != 0);
                        case org.apache.arrow.vector.DecimalVector d -> gen.writeNumber(d.getObject(r));
                        default -> gen.writeString(TextValues.format(v, r));
                    }
                }
                gen.writeEndObject();
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
            if (rows > 0) {
                gen.writeRaw('\n');
            }
            gen.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + path, e);
        }
    }
}

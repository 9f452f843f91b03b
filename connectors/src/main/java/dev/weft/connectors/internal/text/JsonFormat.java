package dev.weft.connectors.internal.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.fs.InputFile;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/**
 * JSON lines: one object per line, streamed with Jackson's parser. Inference samples the first {@code inferRows}
 * objects of the first file: keys in first-seen order; integers int64, other numbers float64 (an int64 column that
 * also holds floats widens to float64), booleans, strings; nested objects and arrays, and columns of mixed kinds,
 * become strings holding the JSON text. Reading: a field missing from an object is null; a value that does not
 * fit its column, a line that is not a JSON object, and (with an inferred schema, unless
 * {@code ignoreUnknownFields}) a key the schema lacks are errors naming the file, line and field.
 */
public record JsonFormat(int inferRows, boolean ignoreUnknownFields) implements TextFormat {
    private static final JsonFactory FACTORY = new JsonFactory();

    @Override
    public String name() {
        return "JSON";
    }

    @Override
    public Schema inferSchema(InputFile file, Configuration conf) {
        LinkedHashMap<String, CsvFormat.Kind> kinds = new LinkedHashMap<>();
        Map<String, Field> nested = new HashMap<>();
        java.util.Set<String> notNested = new java.util.HashSet<>();
        long[] objectLine = {-1};
        try (JsonParser p = FACTORY.createParser(TextInput.open(file.path(), conf))) {
            int seen = 0;
            JsonToken t;
            while (seen < inferRows && (t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    throw notAnObject(file, p, t);
                }
                objectLine[0] = p.currentTokenLocation().getLineNr();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    CsvFormat.Kind k = switch (v) {
                        case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                                ? CsvFormat.Kind.FLOAT64 : CsvFormat.Kind.INT64;
                        case VALUE_NUMBER_FLOAT -> CsvFormat.Kind.FLOAT64;
                        case VALUE_TRUE, VALUE_FALSE -> CsvFormat.Kind.BOOLEAN;
                        case VALUE_NULL -> CsvFormat.Kind.NONE;
                        case START_OBJECT, START_ARRAY -> {
                            if (notNested.contains(name)) {
                                p.skipChildren();
                                yield CsvFormat.Kind.STRING; // mixed with scalars: JSON text
                            }
                            Field f = JsonNested.infer(p, v, name);
                            try {
                                nested.put(name, JsonNested.merge(nested.get(name), f));
                                yield CsvFormat.Kind.NONE;
                            } catch (JsonNested.Mismatch m) {
                                notNested.add(name);
                                yield CsvFormat.Kind.STRING;
                            }
                        }
                        case VALUE_STRING -> CsvFormat.Kind.ofText(p.getText());
                        default -> CsvFormat.Kind.STRING;
                    };
                    if (k != CsvFormat.Kind.NONE && notNested.add(name) && nested.containsKey(name)) {
                        k = CsvFormat.Kind.STRING; // a scalar after arrays or objects: the column is JSON text
                    }
                    kinds.merge(name, k, CsvFormat.Kind::widen);
                }
                objectLine[0] = -1;
                seen++;
            }
        } catch (JsonProcessingException e) {
            throw malformed(file, e, objectLine[0]);
        } catch (IOException e) {
            throw new FileReadException(file.path(), "", "cannot read (" + e.getMessage() + ")", e);
        }
        if (kinds.isEmpty()) {
            throw new FileReadException(file.path(), "line 1", "no JSON object with fields in the first " + inferRows
                    + " lines, so no schema can be inferred (pass an explicit schema)", null);
        }
        List<Field> fields = new ArrayList<>();
        kinds.forEach((name, k) -> fields.add(!notNested.contains(name) && nested.containsKey(name)
                ? nested.get(name) : Field.nullable(name, k.arrow())));
        return new Schema(fields);
    }

    private static FileReadException notAnObject(InputFile file, JsonParser p, JsonToken t) {
        return new FileReadException(file.path(), "line " + p.currentTokenLocation().getLineNr(),
                "expected a JSON object per line, found " + t, null);
    }

    /**
     * The error for a JSON parse failure. An object that is not closed on its own line makes the parser fail on a
     * later line (or past the last one, at the end of the file): the line at fault is the one where it opens.
     */
    private static FileReadException malformed(InputFile file, JsonProcessingException e, long objectLine) {
        long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        if (objectLine > 0 && (line < 0 || line > objectLine)) {
            return new FileReadException(file.path(), "line " + objectLine, "malformed JSON: the object that opens on "
                    + "this line does not close on it (" + e.getOriginalMessage() + ")", e);
        }
        return new FileReadException(file.path(), "line " + line, "malformed JSON (" + e.getOriginalMessage() + ")", e);
    }

    @Override
    public BatchReader open(InputFile file, Schema dataSchema, Configuration conf, BatchBuilder builder,
            ReadCounters counters, long limit) {
        List<Field> fields = dataSchema.getFields();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < fields.size(); i++) {
            index.put(fields.get(i).getName(), i);
        }
        return new BatchReader() {
            private JsonParser parser;
            /** The line where the object being parsed opens, -1 between objects. */
            private long objectLine = -1;
            private long left = limit;
            private boolean done;

            @Override
            public VectorSchemaRoot next() {
                if (done) {
                    return null;
                }
                try {
                    if (parser == null) {
                        parser = FACTORY.createParser(new CountingInput(TextInput.open(file.path(), conf), counters));
                        counters.addFilesOpened(1);
                    }
                    while (left > 0 && !builder.full()) {
                        JsonToken t = parser.nextToken();
                        if (t == null) {
                            done = true;
                            break;
                        }
                        if (t != JsonToken.START_OBJECT) {
                            throw notAnObject(file, parser, t);
                        }
                        long line = parser.currentTokenLocation().getLineNr();
                        objectLine = line;
                        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
                            String name = parser.currentName();
                            JsonToken v = parser.nextToken();
                            Integer col = index.get(name);
                            if (col == null) {
                                if (!ignoreUnknownFields) {
                                    throw new FileReadException(file.path(), "line " + line + ", field '" + name + "'",
                                            "the field is not in the schema " + index.keySet() + " (inferred from the "
                                                    + "first " + inferRows + " lines of the first file); pass an "
                                                    + "explicit schema, raise inferRows or set ignoreUnknownFields=true",
                                            null);
                                }
                                parser.skipChildren();
                                continue;
                            }
                            if (!builder.wants(col) || v == JsonToken.VALUE_NULL) {
                                parser.skipChildren();
                                continue;
                            }
                            try {
                                set(builder.vector(col), builder.row(), v, parser, builder, col);
                            } catch (IllegalArgumentException e) {
                                throw new FileReadException(file.path(), "line " + line + ", field '" + name + "'",
                                        e.getMessage(), e);
                            }
                        }
                        objectLine = -1;
                        builder.endRow();
                        left--;
                    }
                } catch (JsonProcessingException e) {
                    throw malformed(file, e, objectLine);
                } catch (IOException e) {
                    throw new FileReadException(file.path(), "", "cannot read (" + e.getMessage() + ")", e);
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
                if (parser != null) {
                    try {
                        parser.close();
                    } catch (IOException e) {
                        // read-only input
                    }
                    parser = null;
                }
            }
        };
    }

    private static void set(FieldVector vec, int row, JsonToken v, JsonParser p, BatchBuilder builder, int col)
            throws IOException {
        ArrowType type = vec.getField().getType();
        switch (v) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                boolean integral = v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                switch (vec) {
                    case BigIntVector b when integral -> b.setSafe(row, p.getLongValue());
                    case IntVector i when integral -> i.setSafe(row, (int) CellParser.checkRange(p.getLongValue(),
                            Integer.MIN_VALUE, Integer.MAX_VALUE, p.getText()));
                    case Float8Vector d -> d.setSafe(row, p.getDoubleValue());
                    case Float4Vector f -> f.setSafe(row, p.getFloatValue());
                    case org.apache.arrow.vector.DecimalVector d -> builder.parse(col, p.getText());
                    default -> {
                        if (type instanceof ArrowType.Utf8) {
                            builder.parse(col, p.getText());
                        } else {
                            throw new IllegalArgumentException("expected " + describe(type) + ", found the number "
                                    + p.getText());
                        }
                    }
                }
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                if (vec instanceof BitVector b) {
                    b.setSafe(row, v == JsonToken.VALUE_TRUE ? 1 : 0);
                } else if (type instanceof ArrowType.Utf8) {
                    builder.parse(col, p.getText());
                } else {
                    throw new IllegalArgumentException("expected " + describe(type) + ", found " + p.getText());
                }
            }
            case VALUE_STRING -> {
                if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.Date || type instanceof ArrowType.Timestamp
                        || type instanceof ArrowType.Binary || type instanceof ArrowType.Decimal) {
                    builder.parse(col, p.getText());
                } else {
                    throw new IllegalArgumentException("expected " + describe(type) + ", found the string \""
                            + p.getText() + "\"");
                }
            }
            case START_OBJECT, START_ARRAY -> {
                if (type instanceof ArrowType.List || type instanceof ArrowType.Struct) {
                    JsonNested.write(vec, row, v, p);
                    return;
                }
                if (!(type instanceof ArrowType.Utf8)) {
                    throw new IllegalArgumentException("expected " + describe(type) + ", found a nested "
                            + (v == JsonToken.START_OBJECT ? "object" : "array"));
                }
                StringWriter w = new StringWriter();
                try (JsonGenerator g = FACTORY.createGenerator(w)) {
                    g.copyCurrentStructure(p);
                }
                builder.parse(col, w.toString());
            }
            default -> throw new IllegalArgumentException("unexpected JSON token " + v);
        }
    }

    private static String describe(ArrowType t) {
        return switch (t) {
            case ArrowType.Int i -> "int" + i.getBitWidth();
            case ArrowType.FloatingPoint f -> "float";
            case ArrowType.Bool b -> "a boolean";
            case ArrowType.Utf8 u -> "a string";
            default -> t.toString();
        };
    }
}

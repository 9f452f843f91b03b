package dev.weft.connectors.internal.text;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * JSON arrays and objects as Arrow {@code List} and {@code Struct} columns: their types inferred from the sampled
 * lines (element and field types widen as in flat columns; an array in one line and an object in another make the
 * column a string of JSON text), and their values written straight into the nested vectors. Stateless.
 */
final class JsonNested {
    private JsonNested() {
    }

    /** Values of one column that cannot share a nested type. */
    static final class Mismatch extends Exception {
        Mismatch() {
            super(null, null, false, false);
        }
    }

    /** The field of the value starting at {@code t} (the parser is on it), or null for a JSON null. */
    static Field infer(JsonParser p, JsonToken t, String name) throws IOException {
        return switch (t) {
            case START_ARRAY -> {
                Field element = null;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    Field f = infer(p, e, "element");
                    try {
                        element = merge(element, f);
                    } catch (Mismatch m) {
                        element = Field.nullable("element", ArrowType.Utf8.INSTANCE);
                    }
                }
                yield new Field(name, FieldType.nullable(ArrowType.List.INSTANCE),
                        List.of(element == null ? Field.nullable("element", ArrowType.Utf8.INSTANCE) : element));
            }
            case START_OBJECT -> {
                Map<String, Field> children = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String child = p.currentName();
                    Field f = infer(p, p.nextToken(), child);
                    try {
                        children.put(child, merge(children.get(child), f));
                    } catch (Mismatch m) {
                        children.put(child, Field.nullable(child, ArrowType.Utf8.INSTANCE));
                    }
                }
                yield new Field(name, FieldType.nullable(ArrowType.Struct.INSTANCE), new ArrayList<>(children.values()));
            }
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> Field.nullable(name, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? CsvFormat.Kind.FLOAT64.arrow() : CsvFormat.Kind.INT64.arrow());
            case VALUE_NUMBER_FLOAT -> Field.nullable(name, CsvFormat.Kind.FLOAT64.arrow());
            case VALUE_TRUE, VALUE_FALSE -> Field.nullable(name, ArrowType.Bool.INSTANCE);
            default -> Field.nullable(name, CsvFormat.Kind.ofText(p.getText()).arrow());
        };
    }

    /** A type holding values of both fields (null is no value yet). */
    static Field merge(Field a, Field b) throws Mismatch {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        ArrowType x = a.getType();
        ArrowType y = b.getType();
        boolean nestedA = x instanceof ArrowType.List || x instanceof ArrowType.Struct;
        boolean nestedB = y instanceof ArrowType.List || y instanceof ArrowType.Struct;
        if (nestedA || nestedB) {
            if (!x.equals(y)) {
                throw new Mismatch();
            }
            if (x instanceof ArrowType.List) {
                return new Field(a.getName(), a.getFieldType(), List.of(merge(a.getChildren().getFirst(),
                        b.getChildren().getFirst())));
            }
            Map<String, Field> children = new LinkedHashMap<>();
            a.getChildren().forEach(c -> children.put(c.getName(), c));
            for (Field c : b.getChildren()) {
                children.put(c.getName(), merge(children.get(c.getName()), c));
            }
            return new Field(a.getName(), a.getFieldType(), new ArrayList<>(children.values()));
        }
        if (x.equals(y)) {
            return a;
        }
        CsvFormat.Kind k = kind(x).widen(kind(y));
        return Field.nullable(a.getName(), k.arrow());
    }

    private static CsvFormat.Kind kind(ArrowType t) {
        return switch (t) {
            case ArrowType.Int i -> CsvFormat.Kind.INT64;
            case ArrowType.FloatingPoint f -> CsvFormat.Kind.FLOAT64;
            case ArrowType.Bool b -> CsvFormat.Kind.BOOLEAN;
            case ArrowType.Date d -> CsvFormat.Kind.DATE;
            case ArrowType.Timestamp ts -> CsvFormat.Kind.TIMESTAMP;
            default -> CsvFormat.Kind.STRING;
        };
    }

    /** Writes the value starting at {@code t} into row {@code index} of the list or struct vector {@code v}. */
    static void write(FieldVector v, int index, JsonToken t, JsonParser p) throws IOException {
        switch (v) {
            case ListVector list -> {
                if (t != JsonToken.START_ARRAY) {
                    throw new IllegalArgumentException("expected an array, found " + describe(t));
                }
                FieldVector data = list.getDataVector();
                int start = list.startNewValue(index);
                int count = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    value(data, start + count, e, p);
                    count++;
                }
                list.endValue(index, count);
            }
            case StructVector struct -> {
                if (t != JsonToken.START_OBJECT) {
                    throw new IllegalArgumentException("expected an object, found " + describe(t));
                }
                struct.setIndexDefined(index);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken c = p.nextToken();
                    FieldVector child = struct.getChild(name);
                    if (child == null) {
                        p.skipChildren(); // a field the schema does not have inside a struct: ignored
                        continue;
                    }
                    value(child, index, c, p);
                }
            }
            default -> throw new IllegalStateException("not a nested vector: " + v.getField());
        }
    }

    /** Writes one value (scalar or nested) at {@code index}; JSON null leaves the slot null. */
    private static void value(FieldVector v, int index, JsonToken t, JsonParser p) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            if (v instanceof StructVector || v instanceof ListVector) {
                v.setNull(index);
            } else {
                ensure(v, index);
                v.setNull(index);
            }
            return;
        }
        if (v instanceof ListVector || v instanceof StructVector) {
            if (v instanceof StructVector s) {
                while (s.getValueCapacity() <= index) {
                    s.reAlloc();
                }
            }
            write(v, index, t, p);
            return;
        }
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
            if (!(v instanceof VarCharVector s)) {
                throw new IllegalArgumentException("expected " + v.getField().getType() + ", found a nested value");
            }
            java.io.StringWriter w = new java.io.StringWriter();
            try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
                g.copyCurrentStructure(p);
            }
            s.setSafe(index, w.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        boolean integral = t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
        switch (v) {
            case BigIntVector b when integral -> b.setSafe(index, p.getLongValue());
            case IntVector i when integral -> i.setSafe(index, p.getIntValue());
            case Float8Vector d when t.isNumeric() -> d.setSafe(index, p.getDoubleValue());
            case BitVector b when t.isBoolean() -> b.setSafe(index, t == JsonToken.VALUE_TRUE ? 1 : 0);
            default -> CellParser.forType(v.getField().getType()).parse(v, index, p.getText());
        }
    }

    private static void ensure(FieldVector v, int index) {
        while (v.getValueCapacity() <= index) {
            v.reAlloc();
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            default -> t.isNumeric() ? "a number" : t.asString();
        };
    }
}

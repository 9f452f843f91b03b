package dev.weft.data.internal.plan;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.Expr;
import dev.weft.data.internal.expr.ExprEvaluator;
import dev.weft.data.internal.expr.ExprTypes;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** A column-level transform: {@code select}, {@code drop}, {@code rename}, {@code withColumn}. */
public sealed interface Projection extends Serializable {

    /** A new batch from {@code in} (which the caller still owns and closes); columns share buffers where possible. */
    VectorSchemaRoot apply(VectorSchemaRoot in, BufferAllocator allocator);

    /** The output schema for an input schema. */
    Schema outputSchema(Schema in);

    /** The input columns needed when the output needs exactly {@code wanted}; empty when every column is needed. */
    Optional<Set<String>> requiredColumns();

    String explain();

    /** A named expression of a {@link Select}. */
    record NamedExpr(String name, Expr expr) implements Serializable {
        @Override
        public String toString() {
            return expr instanceof Expr.Column c && c.name().equals(name) ? name : name + "=" + expr;
        }
    }

    /** Exactly these columns, computed by these expressions. */
    record Select(List<NamedExpr> columns) implements Projection {
        public Select {
            columns = List.copyOf(columns);
            Set<String> seen = new LinkedHashSet<>();
            for (NamedExpr c : columns) {
                if (!seen.add(c.name())) {
                    throw new IllegalArgumentException("select names column '" + c.name() + "' twice");
                }
            }
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot in, BufferAllocator allocator) {
            List<FieldVector> out = new ArrayList<>();
            try {
                for (NamedExpr c : columns) {
                    out.add(ExprEvaluator.evaluate(c.expr(), in, allocator, c.name()));
                }
            } catch (RuntimeException e) {
                out.forEach(FieldVector::close);
                throw e;
            }
            return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, in.getRowCount());
        }

        @Override
        public Schema outputSchema(Schema in) {
            List<Field> fields = new ArrayList<>();
            for (NamedExpr c : columns) {
                if (c.expr() instanceof Expr.Column col) {
                    Field f = ExprTypes.field(in, col.name());
                    fields.add(new Field(c.name(), f.getFieldType(), f.getChildren()));
                } else {
                    var t = ExprTypes.arrowType(c.expr(), in);
                    fields.add(new Field(c.name(), FieldType.nullable(t == null
                            ? dev.weft.data.DataType.INT32.arrowType() : t), null));
                }
            }
            return new Schema(fields);
        }

        @Override
        public Optional<Set<String>> requiredColumns() {
            Set<String> needed = new LinkedHashSet<>();
            columns.forEach(c -> needed.addAll(c.expr().columns()));
            return Optional.of(needed);
        }

        @Override
        public String explain() {
            return "Project[" + columns.stream().map(NamedExpr::toString).collect(Collectors.joining(", ")) + "]";
        }
    }

    /** Every column but these. */
    record Drop(List<String> names) implements Projection {
        public Drop {
            names = List.copyOf(names);
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot in, BufferAllocator allocator) {
            check(in.getSchema(), names, "drop");
            List<FieldVector> out = new ArrayList<>();
            for (FieldVector v : in.getFieldVectors()) {
                if (!names.contains(v.getName())) {
                    out.add(share(v, v.getName(), in.getRowCount(), allocator));
                }
            }
            return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, in.getRowCount());
        }

        @Override
        public Schema outputSchema(Schema in) {
            check(in, names, "drop");
            return new Schema(in.getFields().stream().filter(f -> !names.contains(f.getName())).toList());
        }

        @Override
        public Optional<Set<String>> requiredColumns() {
            return Optional.empty();
        }

        @Override
        public String explain() {
            return "Drop[" + String.join(", ", names) + "]";
        }
    }

    /** Columns renamed old → new, order kept. */
    record Rename(Map<String, String> names) implements Projection {
        public Rename {
            names = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(names));
        }

        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot in, BufferAllocator allocator) {
            check(in.getSchema(), names.keySet(), "rename");
            List<FieldVector> out = new ArrayList<>();
            for (FieldVector v : in.getFieldVectors()) {
                out.add(share(v, names.getOrDefault(v.getName(), v.getName()), in.getRowCount(), allocator));
            }
            return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, in.getRowCount());
        }

        @Override
        public Schema outputSchema(Schema in) {
            check(in, names.keySet(), "rename");
            return new Schema(in.getFields().stream().map(f -> new Field(names.getOrDefault(f.getName(), f.getName()),
                    f.getFieldType(), f.getChildren())).toList());
        }

        @Override
        public Optional<Set<String>> requiredColumns() {
            return Optional.empty();
        }

        @Override
        public String explain() {
            return "Rename[" + names.entrySet().stream().map(e -> e.getKey() + "->" + e.getValue())
                    .collect(Collectors.joining(", ")) + "]";
        }
    }

    /** Every column, plus {@code name} computed by {@code expr} (replacing a column of that name in place). */
    record WithColumn(String name, Expr expr) implements Projection {
        @Override
        public VectorSchemaRoot apply(VectorSchemaRoot in, BufferAllocator allocator) {
            FieldVector computed = ExprEvaluator.evaluate(expr, in, allocator, name);
            List<FieldVector> out = new ArrayList<>();
            boolean replaced = false;
            try {
                for (FieldVector v : in.getFieldVectors()) {
                    if (v.getName().equals(name)) {
                        out.add(computed);
                        replaced = true;
                    } else {
                        out.add(share(v, v.getName(), in.getRowCount(), allocator));
                    }
                }
            } catch (RuntimeException e) {
                computed.close();
                out.forEach(FieldVector::close);
                throw e;
            }
            if (!replaced) {
                out.add(computed);
            }
            return new VectorSchemaRoot(out.stream().map(FieldVector::getField).toList(), out, in.getRowCount());
        }

        @Override
        public Schema outputSchema(Schema in) {
            var t = ExprTypes.arrowType(expr, in);
            Field f = new Field(name, FieldType.nullable(t == null ? dev.weft.data.DataType.INT32.arrowType()
                    : t), null);
            List<Field> fields = new ArrayList<>();
            boolean replaced = false;
            for (Field x : in.getFields()) {
                if (x.getName().equals(name)) {
                    fields.add(f);
                    replaced = true;
                } else {
                    fields.add(x);
                }
            }
            if (!replaced) {
                fields.add(f);
            }
            return new Schema(fields);
        }

        @Override
        public Optional<Set<String>> requiredColumns() {
            return Optional.empty();
        }

        @Override
        public String explain() {
            return "WithColumn[" + name + "=" + expr + "]";
        }
    }

    private static FieldVector share(FieldVector v, String name, int rows, BufferAllocator allocator) {
        var tp = v.getTransferPair(name, v.getAllocator());
        tp.splitAndTransfer(0, rows);
        FieldVector out = (FieldVector) tp.getTo();
        out.setValueCount(rows);
        return out;
    }

    private static void check(Schema schema, java.util.Collection<String> names, String op) {
        Set<String> have = schema.getFields().stream().map(Field::getName).collect(Collectors.toSet());
        for (String n : names) {
            if (!have.contains(n)) {
                throw new WeftException(ErrorType.USER_ERROR, op + " names column '" + n + "' which does not exist; columns: "
                        + schema.getFields().stream().map(Field::getName).toList());
            }
        }
    }
}

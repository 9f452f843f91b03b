package dev.weft.data.internal.expr;

import dev.weft.data.ArithmeticOp;
import dev.weft.data.DataType;
import dev.weft.data.Expr;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** The result type of an expression over a schema, computed without data (for plans and output schemas). */
public final class ExprTypes {
    private ExprTypes() {
    }

    /** The type of {@code e} over {@code schema}; {@code null} for the untyped null literal. */
    public static DataType typeOf(Expr e, Schema schema) {
        return switch (e) {
            case Expr.Column c -> DataType.of(field(schema, c.name()).getType());
            case Expr.Literal l -> l.type();
            case Expr.Compare c -> DataType.BOOLEAN;
            case Expr.And a -> DataType.BOOLEAN;
            case Expr.Or o -> DataType.BOOLEAN;
            case Expr.Not n -> DataType.BOOLEAN;
            case Expr.IsNull n -> DataType.BOOLEAN;
            case Expr.Cast c -> c.type();
            case Expr.StringFunction f -> f.kind() == Expr.StringFunction.Kind.LENGTH ? DataType.INT32 : DataType.STRING;
            case Expr.Arithmetic a -> arithmeticType(a.op(), typeOf(a.left(), schema), typeOf(a.right(), schema), a);
        };
    }

    static DataType arithmeticType(ArithmeticOp op, DataType l, DataType r, Expr e) {
        if ((l != null && !l.isNumeric()) || (r != null && !r.isNumeric())) {
            throw new IllegalArgumentException("arithmetic needs numbers: " + e + " has operands of type " + l + " and " + r);
        }
        if (op == ArithmeticOp.DIVIDE || (l != null && l.isFloating()) || (r != null && r.isFloating())) {
            return DataType.FLOAT64;
        }
        if ((l == null || l == DataType.INT32) && (r == null || r == DataType.INT32)) {
            return DataType.INT32;
        }
        return DataType.INT64;
    }

    /** The field named {@code name}, failing with the available columns when it is absent. */
    public static Field field(Schema schema, String name) {
        for (Field f : schema.getFields()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "'; columns: "
                + schema.getFields().stream().map(Field::getName).toList());
    }
}

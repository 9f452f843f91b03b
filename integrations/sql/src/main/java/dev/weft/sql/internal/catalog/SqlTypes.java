package dev.weft.sql.internal.catalog;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.sql.SqlException;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/** The mapping between Arrow column types, SQL types and the types of Weft's expressions. */
public final class SqlTypes {
    private SqlTypes() {
    }

    /** The SQL row type of an Arrow schema; every Arrow type Weft reads has a SQL type. */
    public static RelDataType rowType(Schema schema, RelDataTypeFactory types) {
        RelDataTypeFactory.Builder b = types.builder();
        for (Field f : schema.getFields()) {
            b.add(f.getName(), types.createTypeWithNullability(sqlType(f, types), f.isNullable()));
        }
        return b.build();
    }

    private static RelDataType sqlType(Field f, RelDataTypeFactory types) {
        ArrowType t = f.getType();
        return switch (t) {
            case ArrowType.Bool b -> types.createSqlType(SqlTypeName.BOOLEAN);
            case ArrowType.Int i -> types.createSqlType(switch (i.getBitWidth()) {
                case 8 -> SqlTypeName.TINYINT;
                case 16 -> SqlTypeName.SMALLINT;
                case 32 -> SqlTypeName.INTEGER;
                default -> SqlTypeName.BIGINT;
            });
            case ArrowType.FloatingPoint fp -> types.createSqlType(
                    fp.getPrecision() == FloatingPointPrecision.DOUBLE ? SqlTypeName.DOUBLE : SqlTypeName.REAL);
            case ArrowType.Utf8 u -> types.createSqlType(SqlTypeName.VARCHAR);
            case ArrowType.LargeUtf8 u -> types.createSqlType(SqlTypeName.VARCHAR);
            case ArrowType.Binary b -> types.createSqlType(SqlTypeName.VARBINARY);
            case ArrowType.LargeBinary b -> types.createSqlType(SqlTypeName.VARBINARY);
            case ArrowType.FixedSizeBinary b -> types.createSqlType(SqlTypeName.BINARY, b.getByteWidth());
            case ArrowType.Decimal d -> types.createSqlType(SqlTypeName.DECIMAL, d.getPrecision(), d.getScale());
            case ArrowType.Date d -> types.createSqlType(SqlTypeName.DATE);
            case ArrowType.Timestamp ts -> types.createSqlType(SqlTypeName.TIMESTAMP);
            default -> types.createSqlType(SqlTypeName.ANY);
        };
    }

    /**
     * The expression type Weft computes a SQL type as. DECIMAL is an exact decimal (the precision and scale are the
     * SQL type's: {@link #cast}); DATE a calendar day; TIMESTAMP a UTC wall-clock instant.
     *
     * @param what the expression, for the error when the type has no Weft counterpart
     */
    public static DataType weftType(RelDataType type, String what) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> DataType.BOOLEAN;
            case TINYINT, SMALLINT, INTEGER -> DataType.INT32;
            case BIGINT -> DataType.INT64;
            case REAL -> DataType.FLOAT32;
            case FLOAT, DOUBLE -> DataType.FLOAT64;
            case DECIMAL -> DataType.DECIMAL;
            case CHAR, VARCHAR -> DataType.STRING;
            case DATE -> DataType.DATE;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> DataType.TIMESTAMP;
            default -> throw SqlException.notSupported(type.getSqlTypeName() + " values in expressions (" + what
                    + "); datasets has no " + type.getSqlTypeName() + " type");
        };
    }

    /** Whether Weft's expressions can compute values of this SQL type. */
    public static boolean hasWeftType(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR, DATE,
                 TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> true;
            default -> false;
        };
    }

    /** {@code e} converted to the Weft type of a SQL type; a DECIMAL gets the SQL type's precision and scale. */
    public static Expr cast(Expr e, RelDataType type, String what) {
        DataType t = weftType(type, what);
        return t == DataType.DECIMAL ? e.cast(precision(type), type.getScale()) : e.cast(t);
    }

    /** The Arrow type of a column of this SQL type (a DECIMAL with the type's precision and scale). */
    public static ArrowType arrowType(RelDataType type, String what) {
        DataType t = weftType(type, what);
        return t == DataType.DECIMAL ? new ArrowType.Decimal(precision(type), type.getScale(), 128) : t.arrowType();
    }

    private static int precision(RelDataType type) {
        return Math.max(1, Math.min(38, type.getPrecision()));
    }

    /** An Arrow schema of these names and SQL types (for rows Weft makes itself: VALUES, defaults). */
    public static Schema arrowSchema(List<String> names, List<RelDataType> types) {
        Field[] fields = new Field[names.size()];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = Field.nullable(names.get(i), arrowType(types.get(i), names.get(i)));
        }
        return new Schema(List.of(fields));
    }
}

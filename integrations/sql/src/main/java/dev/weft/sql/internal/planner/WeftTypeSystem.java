package dev.weft.sql.internal.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * SQL types as Weft computes them: SUM of integers is BIGINT, of floating values DOUBLE and of DECIMAL(p, s)
 * DECIMAL(p + 10, s); AVG and a quotient of decimals are DOUBLE (as in DuckDB).
 */
public final class WeftTypeSystem extends RelDataTypeSystemImpl {
    public static final WeftTypeSystem INSTANCE = new WeftTypeSystem();

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        if (SqlTypeUtil.isExactNumeric(argumentType) && argumentType.getSqlTypeName() != SqlTypeName.DECIMAL) {
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.BIGINT),
                    argumentType.isNullable());
        }
        if (SqlTypeUtil.isApproximateNumeric(argumentType)) {
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
                    argumentType.isNullable());
        }
        if (argumentType.getSqlTypeName() == SqlTypeName.DECIMAL) {
            // Ten more digits, as datasets' exact decimal sums (and Spark) compute them.
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DECIMAL,
                    Math.min(getMaxNumericPrecision(), argumentType.getPrecision() + 10), argumentType.getScale()),
                    argumentType.isNullable());
        }
        return super.deriveSumType(typeFactory, argumentType);
    }

    /**
     * A quotient with a DECIMAL operand is a DOUBLE, as in DuckDB: a decimal quotient of two sums (38 digits) would
     * keep only 6 digits of scale (TPC-H Q8's market share).
     */
    @Override
    public RelDataType deriveDecimalDivideType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2) {
        if (SqlTypeUtil.isExactNumeric(type1) && SqlTypeUtil.isExactNumeric(type2)
                && (SqlTypeUtil.isDecimal(type1) || SqlTypeUtil.isDecimal(type2))) {
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
                    type1.isNullable() || type2.isNullable());
        }
        return super.deriveDecimalDivideType(typeFactory, type1, type2);
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
                argumentType.isNullable());
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }
}

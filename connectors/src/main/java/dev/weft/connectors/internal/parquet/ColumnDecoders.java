package dev.weft.connectors.internal.parquet;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.schema.PrimitiveType;

/** Picks the decoder for a Parquet column and the Arrow field it is read into. */
final class ColumnDecoders {
    private ColumnDecoders() {}

    static ColumnChunkDecoder create(ColumnDescriptor d, Field field, PageReader pages) {
        PrimitiveType p = d.getPrimitiveType();
        ArrowType t = field.getType();
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return new BooleanDecoder(d, pages);
            case INT32:
                if (t instanceof ArrowType.Int i) {
                    if (i.getBitWidth() == 32) {
                        return new FixedWidthDecoders.Fixed4(d, pages);
                    }
                    ConvertingDecoders.LongSetter s = switch (i.getBitWidth()) {
                        case 8 -> ConvertingDecoders.TINY;
                        case 16 -> ConvertingDecoders.SMALL;
                        default -> ConvertingDecoders.BIG;
                    };
                    return new ConvertingDecoders.Integral(d, pages, s, i.getBitWidth() == 64 ? 0xFFFF_FFFFL : -1L);
                }
                if (t instanceof ArrowType.Decimal) {
                    return new ConvertingDecoders.Integral(d, pages, ConvertingDecoders.DECIMAL_UNSCALED, -1L);
                }
                return new FixedWidthDecoders.Fixed4(d, pages);
            case FLOAT:
                return new FixedWidthDecoders.Fixed4(d, pages);
            case INT64:
                if (t instanceof ArrowType.Decimal) {
                    return new ConvertingDecoders.Integral(d, pages, ConvertingDecoders.DECIMAL_UNSCALED, -1L);
                }
                return new FixedWidthDecoders.Fixed8(d, pages);
            case DOUBLE:
                return new FixedWidthDecoders.Fixed8(d, pages);
            case INT96:
                return new ConvertingDecoders.Bytes(d, pages, ConvertingDecoders.INT96_NANOS);
            case BINARY:
                if (t instanceof ArrowType.Decimal) {
                    return new ConvertingDecoders.Bytes(d, pages, ConvertingDecoders.DECIMAL_BYTES);
                }
                return new BinaryDecoder(d, pages);
            case FIXED_LEN_BYTE_ARRAY:
                if (t instanceof ArrowType.Decimal) {
                    return new ConvertingDecoders.Bytes(d, pages, ConvertingDecoders.DECIMAL_BYTES);
                }
                return new ConvertingDecoders.Bytes(d, pages, ConvertingDecoders.FIXED);
            default:
                throw new IllegalArgumentException("column " + field.getName() + ": unsupported Parquet type " + p);
        }
    }
}

package dev.weft.data;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;

/** Running sum/min/max/mean/variance of a numeric column (Welford), column-at-a-time, nulls skipped. */
final class Aggregates {
    final String column;
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double mean;
    double m2;

    Aggregates(String column) {
        this.column = column;
    }

    void add(FieldVector v) {
        int n = v.getValueCount();
        boolean nulls = v.getNullCount() > 0;
        switch (v) {
            case Float8Vector f -> {
                var buf = f.getDataBuffer();
                for (int i = 0; i < n; i++) {
                    if (!nulls || !f.isNull(i)) {
                        accept(buf.getDouble((long) i * 8));
                    }
                }
            }
            case Float4Vector f -> {
                for (int i = 0; i < n; i++) {
                    if (!nulls || !f.isNull(i)) {
                        accept(f.get(i));
                    }
                }
            }
            case BaseIntVector b -> {
                for (int i = 0; i < n; i++) {
                    if (!nulls || !v.isNull(i)) {
                        accept(b.getValueAsLong(i));
                    }
                }
            }
            default -> throw new WeftException(ErrorType.USER_ERROR, "column '" + column + "' is "
                    + v.getField().getType() + ", not numeric");
        }
    }

    private void accept(double x) {
        count++;
        sum += x;
        if (x < min) {
            min = x;
        }
        if (x > max) {
            max = x;
        }
        double d = x - mean;
        mean += d / count;
        m2 += d * (x - mean);
    }

    Aggregates requireRows(String what) {
        if (count == 0) {
            throw new WeftException(ErrorType.USER_ERROR, what + " of column '" + column + "' is undefined: no non-null values");
        }
        return this;
    }
}

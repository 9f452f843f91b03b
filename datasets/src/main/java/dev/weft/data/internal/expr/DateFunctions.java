package dev.weft.data.internal.expr;

import dev.weft.data.DataType;
import dev.weft.data.Expr;
import dev.weft.data.ExprNodes;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Date and timestamp functions over whole columns of days or microseconds (UTC), computing calendar fields with
 * integer arithmetic (the days-to-civil algorithm) rather than a {@code LocalDate} per row.
 */
final class DateFunctions {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private DateFunctions() {
    }

    private static DataType temporal(Val x, Expr e) {
        if (x.type() == null || !x.type().isTemporal()) {
            throw new ExprTypes.TypeError(null, "date functions need a DATE or TIMESTAMP operand: " + e
                    + " has an operand of type " + x.type());
        }
        return x.type();
    }

    /** Rows to compute: one for a constant, else the batch. */
    private static int rows(int n, Val... operands) {
        for (Val v : operands) {
            if (!v.isScalar()) {
                return n;
            }
        }
        return 1;
    }

    private static Val result(DataType type, long[] values, boolean[] nulls, boolean scalar, BufferAllocator alloc,
                              int n) {
        if (scalar) {
            Object v = nulls != null && nulls[0] ? null : type == DataType.INT32 ? (Object) (int) values[0] : values[0];
            return Val.scalar(v, type);
        }
        return Val.of(type == DataType.INT32 ? Casts.intVector(type, values, nulls, alloc, n)
                : Temporals.vector(type, values, nulls, alloc, n), true);
    }

    static Val part(ExprNodes.DatePart p, Val x, BufferAllocator alloc, int n) {
        if (x.isNullScalar()) {
            return Val.scalar(null, DataType.INT32);
        }
        DataType t = temporal(x, p);
        int m = rows(n, x);
        long[] v = x.longs(m);
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            long days = t == DataType.DATE ? v[i] : Math.floorDiv(v[i], Temporals.MICROS_PER_DAY);
            long micros = t == DataType.DATE ? 0 : Math.floorMod(v[i], Temporals.MICROS_PER_DAY);
            out[i] = switch (p.part()) {
                case YEAR -> civilYear(days);
                case QUARTER -> (civilMonth(days) - 1) / 3 + 1;
                case MONTH -> civilMonth(days);
                case DAY -> civilDay(days);
                case DAY_OF_WEEK -> Math.floorMod(days + 4, 7) + 1; // 1970-01-01 was a Thursday; Sunday = 1
                case DAY_OF_YEAR -> days - daysFromCivil(civilYear(days), 1, 1) + 1;
                case HOUR -> micros / 3_600_000_000L;
                case MINUTE -> micros / 60_000_000L % 60;
                case SECOND -> micros / MICROS_PER_SECOND % 60;
            };
        }
        return result(DataType.INT32, out, Nulls.of(x, m), x.isScalar(), alloc, n);
    }

    static Val trunc(ExprNodes.DateTrunc tr, Val x, BufferAllocator alloc, int n) {
        if (x.isNullScalar()) {
            return Val.scalar(null, DataType.DATE);
        }
        DataType t = temporal(x, tr);
        int m = rows(n, x);
        long[] v = x.longs(m);
        for (int i = 0; i < m; i++) {
            long days = t == DataType.DATE ? v[i] : Math.floorDiv(v[i], Temporals.MICROS_PER_DAY);
            long unit = switch (tr.unit()) {
                case HOUR -> 3_600_000_000L;
                case MINUTE -> 60_000_000L;
                case SECOND -> MICROS_PER_SECOND;
                default -> 0;
            };
            if (unit != 0) {
                v[i] = t == DataType.DATE ? v[i] : Math.floorDiv(v[i], unit) * unit;
                continue;
            }
            long truncated = switch (tr.unit()) {
                case YEAR -> daysFromCivil(civilYear(days), 1, 1);
                case QUARTER -> daysFromCivil(civilYear(days), (civilMonth(days) - 1) / 3 * 3 + 1, 1);
                case MONTH -> daysFromCivil(civilYear(days), civilMonth(days), 1);
                case WEEK -> days - Math.floorMod(days + 3, 7); // back to Monday
                default -> days;
            };
            v[i] = t == DataType.DATE ? truncated : truncated * Temporals.MICROS_PER_DAY;
        }
        return result(t, v, Nulls.of(x, m), x.isScalar(), alloc, n);
    }

    static Val diff(ExprNodes.DateDiff d, Val end, Val start, BufferAllocator alloc, int n) {
        if (end.isNullScalar() || start.isNullScalar()) {
            return Val.scalar(null, DataType.INT32);
        }
        DataType te = temporal(end, d);
        DataType ts = temporal(start, d);
        int m = rows(n, end, start);
        long[] a = end.longs(m);
        long[] b = start.longs(m);
        for (int i = 0; i < m; i++) {
            long x = te == DataType.DATE ? a[i] : Math.floorDiv(a[i], Temporals.MICROS_PER_DAY);
            long y = ts == DataType.DATE ? b[i] : Math.floorDiv(b[i], Temporals.MICROS_PER_DAY);
            a[i] = x - y;
        }
        return result(DataType.INT32, a, Nulls.union(end, start, m), m == 1 && end.isScalar() && start.isScalar(),
                alloc, n);
    }

    static Val addDays(ExprNodes.DateAdd d, Val x, Val days, BufferAllocator alloc, int n) {
        if (x.isNullScalar() || days.isNullScalar()) {
            return Val.scalar(null, x.isNullScalar() ? DataType.DATE : x.type());
        }
        DataType t = temporal(x, d);
        if (!days.type().isIntegral()) {
            throw new ExprTypes.TypeError(null, "dateAdd needs an integer number of days: " + d + " has " + days.type());
        }
        boolean scalar = x.isScalar() && days.isScalar();
        int m = scalar ? 1 : n;
        long[] v = x.longs(m);
        long[] k = days.longs(m);
        long unit = t == DataType.DATE ? 1 : Temporals.MICROS_PER_DAY;
        for (int i = 0; i < m; i++) {
            v[i] += k[i] * unit;
        }
        return result(t, v, Nulls.union(x, days, m), scalar, alloc, n);
    }

    static Val addInterval(ExprNodes.AddInterval a, Val x, BufferAllocator alloc, int n) {
        boolean toTimestamp = a.micros() != 0;
        if (x.isNullScalar()) {
            return Val.scalar(null, toTimestamp ? DataType.TIMESTAMP : DataType.DATE);
        }
        DataType t = temporal(x, a);
        DataType out = t == DataType.DATE && !toTimestamp ? DataType.DATE : DataType.TIMESTAMP;
        int m = rows(n, x);
        long[] v = x.longs(m);
        for (int i = 0; i < m; i++) {
            long days = t == DataType.DATE ? v[i] : Math.floorDiv(v[i], Temporals.MICROS_PER_DAY);
            long timeOfDay = t == DataType.DATE ? 0 : Math.floorMod(v[i], Temporals.MICROS_PER_DAY);
            if (a.months() != 0) {
                days = plusMonths(days, a.months());
            }
            days += a.days();
            v[i] = out == DataType.DATE ? days : days * Temporals.MICROS_PER_DAY + timeOfDay + a.micros();
        }
        return result(out, v, Nulls.of(x, m), x.isScalar(), alloc, n);
    }

    private static long plusMonths(long days, int months) {
        long y = civilYear(days);
        long mo = civilMonth(days) - 1 + months;
        long year = y + Math.floorDiv(mo, 12);
        int month = (int) Math.floorMod(mo, 12) + 1;
        int day = (int) Math.min(civilDay(days), java.time.YearMonth.of((int) year, month).lengthOfMonth());
        return daysFromCivil(year, month, day);
    }

    // Howard Hinnant's civil-from-days and days-from-civil, on the proleptic Gregorian calendar.

    static long civilYear(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long m = mp < 10 ? mp + 3 : mp - 9;
        return yoe + era * 400 + (m <= 2 ? 1 : 0);
    }

    static long civilMonth(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        return mp < 10 ? mp + 3 : mp - 9;
    }

    static long civilDay(long days) {
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        return doy - (153 * mp + 2) / 5 + 1;
    }

    static long daysFromCivil(long y, long m, long d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}

package dev.weft.sql;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;

/**
 * A statement Weft cannot run as written: a syntax error, an unknown table or column, a type error, or SQL that
 * Weft does not support yet. A user error (never retried). The message is Calcite's where Calcite found the fault
 * (it names the line and column, and the table, column or expression at fault); {@link #line()} and
 * {@link #column()} give the position when there is one (1-based; 0 when unknown).
 */
public final class SqlException extends WeftException {
    private final int line;
    private final int column;

    public SqlException(String message, int line, int column, Throwable cause) {
        super(ErrorType.USER_ERROR, message, cause);
        this.line = line;
        this.column = column;
    }

    public SqlException(String message) {
        this(message, 0, 0, null);
    }

    /** A statement that uses something Weft's SQL does not support yet; the message starts "not supported yet: ". */
    public static SqlException notSupported(String what) {
        return new SqlException("not supported yet: " + what);
    }

    /** The 1-based line of the fault in the statement, 0 when unknown. */
    public int line() {
        return line;
    }

    /** The 1-based column of the fault in the statement, 0 when unknown. */
    public int column() {
        return column;
    }
}

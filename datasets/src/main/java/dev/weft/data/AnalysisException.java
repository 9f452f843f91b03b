package dev.weft.data;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.util.List;

/**
 * A dataset operation refers to a column that does not exist or applies an expression to a column of the wrong
 * type (Spark's {@code AnalysisException}). Thrown when the operation is added to the plan, or, when the schema
 * of its input is only known at execution (after a {@code map} or {@code mapBatches}), when the first batch
 * reaches it. Never retried: the plan is wrong, not the cluster. The message names the operation, the column and
 * the columns its input has.
 */
public class AnalysisException extends WeftException {
    private final String operation;
    private final String column;
    private final List<String> inputColumns;

    /**
     * @param operation    the operation at fault as the user wrote it, e.g. {@code filter((x < 0.5))}
     * @param column       the column at fault, or null when the problem is not one column
     * @param inputColumns the columns of the operation's input
     * @param problem      what is wrong, e.g. {@code column 'x' does not exist}
     */
    public AnalysisException(String operation, String column, List<String> inputColumns, String problem) {
        super(ErrorType.USER_ERROR, operation + ": " + problem + "; the input has columns " + inputColumns);
        this.operation = operation;
        this.column = column;
        this.inputColumns = List.copyOf(inputColumns);
    }

    /** The same error found inside a task, carried back with where it was found (the text is kept whole). */
    public AnalysisException(AnalysisException found, Throwable where) {
        super(ErrorType.USER_ERROR, found.getMessage(), where);
        this.operation = found.operation;
        this.column = found.column;
        this.inputColumns = found.inputColumns;
    }

    /** The operation at fault, e.g. {@code select[id, nope]}. */
    public String operation() {
        return operation;
    }

    /** The column at fault, or null. */
    public String column() {
        return column;
    }

    /** The columns the operation's input has. */
    public List<String> inputColumns() {
        return inputColumns;
    }
}

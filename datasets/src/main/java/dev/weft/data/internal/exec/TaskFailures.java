package dev.weft.data.internal.exec;

import dev.weft.api.ErrorType;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftException;
import dev.weft.data.AnalysisException;

/**
 * How a failed task of an operator is reported to the user: once, in one line naming the operator, the task, the
 * node and the input files, typed as a user error unless the task lost work with a node.
 */
final class TaskFailures {
    private TaskFailures() {
    }

    static WeftException describe(OperatorState op, OperatorState.Running r, Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof AnalysisException a) {
                return new AnalysisException(a, cause); // a plan error found on the first batch: as at planning
            }
        }
        String detail = null;
        for (Throwable c = cause; c != null && detail == null; c = c.getCause()) {
            if (c instanceof WeftException w && w.getMessage() != null && w.getMessage().startsWith("operator ")) {
                detail = w.getMessage();
            }
        }
        if (detail == null) {
            String m = String.valueOf(cause.getMessage());
            int i = m.indexOf("operator ");
            int end = m.indexOf("\nremote stack trace:");
            detail = i >= 0 ? m.substring(i, end > i ? end : m.length()) : cause.toString();
        }
        // The task's own "operator X failed on input files F: " says again what this message says.
        String again = "operator " + op.name + " failed on input files ";
        int cut = detail.startsWith(again) ? detail.indexOf("]: ", again.length()) : -1;
        if (cut > 0) {
            detail = detail.substring(cut + 3);
        }
        String node = null;
        for (Throwable c = cause; c != null && node == null; c = c.getCause()) {
            node = c instanceof TaskFailedException f ? f.nodeId() : null;
        }
        // A task that read a block lost with its node fails as a TaskFailedException: the loss is a system failure,
        // which a new run of the job mends. Any other failure of a task is the user's, and is not run again.
        ErrorType type = ExchangeAttempts.lostWork(cause) ? ErrorType.SYSTEM_FAILURE
                : cause instanceof WeftException w && !w.isRetryable() ? w.errorType() : ErrorType.USER_ERROR;
        return new WeftException(type, "dataset operator " + op.name + " failed in task #" + r.taskIndex()
                + (node == null ? "" : " on node " + node) + " over input files " + r.files() + ": " + detail, cause);
    }
}

package dev.weft.api;

/**
 * A task or actor call threw. Carries the task's name, the original exception's class and message and the
 * remote stack trace as text; {@link #getCause()} is the original exception when it could be rebuilt.
 */
public class TaskFailedException extends WeftException {
    private final String taskName;
    private final String originalClassName;
    private final String originalMessage;
    private final String remoteStackTrace;

    public TaskFailedException(String taskName, String originalClassName, String originalMessage,
                               String remoteStackTrace, Throwable cause) {
        super(ErrorType.USER_ERROR, "task " + taskName + " failed: " + originalClassName
                + (originalMessage == null ? "" : ": " + originalMessage)
                + "\nremote stack trace:\n" + remoteStackTrace, cause);
        this.taskName = taskName;
        this.originalClassName = originalClassName;
        this.originalMessage = originalMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    public String taskName() {
        return taskName;
    }

    public String originalClassName() {
        return originalClassName;
    }

    public String originalMessage() {
        return originalMessage;
    }

    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}

package dev.weft.api;

/**
 * A task or actor call threw. Carries the task's name, the node it ran on (when known), the original exception's
 * class and message, and the remote stack trace as text ({@link #remoteStackTrace()}); {@link #getCause()} is the
 * original exception when it could be rebuilt. The message is one line: task, node, class and message of the
 * original exception — the remote stack trace is not part of it.
 */
public class TaskFailedException extends WeftException {
    private final String taskName;
    private final String nodeId;
    private final String originalClassName;
    private final String originalMessage;
    private final String remoteStackTrace;

    public TaskFailedException(String taskName, String originalClassName, String originalMessage,
                               String remoteStackTrace, Throwable cause) {
        this(taskName, null, originalClassName, originalMessage, remoteStackTrace, cause);
    }

    /** @param nodeId the node the task ran on, or null when unknown */
    public TaskFailedException(String taskName, String nodeId, String originalClassName, String originalMessage,
                               String remoteStackTrace, Throwable cause) {
        super(ErrorType.USER_ERROR, "task " + taskName + (nodeId == null ? "" : " on node " + nodeId) + " failed: "
                + originalClassName + (originalMessage == null ? "" : ": " + originalMessage), cause);
        this.taskName = taskName;
        this.nodeId = nodeId;
        this.originalClassName = originalClassName;
        this.originalMessage = originalMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    public String taskName() {
        return taskName;
    }

    /** The node the task ran on, or null when unknown. */
    public String nodeId() {
        return nodeId;
    }

    public String originalClassName() {
        return originalClassName;
    }

    public String originalMessage() {
        return originalMessage;
    }

    /** The original exception's stack trace as printed where it was thrown (with its causes). */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}

package dev.weft.api;

/** No node can ever satisfy a task's resource demand (or a placement group cannot be reserved). */
public class TaskUnschedulableException extends WeftException {
    public TaskUnschedulableException(String message) {
        super(ErrorType.INSUFFICIENT_RESOURCES, message);
    }

    public TaskUnschedulableException(String message, Throwable cause) {
        super(ErrorType.INSUFFICIENT_RESOURCES, message, cause);
    }
}

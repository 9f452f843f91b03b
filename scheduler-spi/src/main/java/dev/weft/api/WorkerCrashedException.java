package dev.weft.api;

/** The worker or node running a task died, and the task's retries are used up. */
public class WorkerCrashedException extends WeftException {
    public WorkerCrashedException(String message) {
        super(ErrorType.SYSTEM_FAILURE, message);
    }

    public WorkerCrashedException(String message, Throwable cause) {
        super(ErrorType.SYSTEM_FAILURE, message, cause);
    }
}

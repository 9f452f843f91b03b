package dev.weft.engine.internal.serial;

import dev.weft.api.TaskFailedException;
import dev.weft.spi.Serializer;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Turns an exception thrown by user code into the {@link TaskFailedException} its caller receives. */
public final class ErrorCodec {
    private ErrorCodec() {
    }

    /**
     * The failure of task {@code taskName}: class, message and stack trace as text, and as cause a copy of the
     * original rebuilt through {@code serializer} (as it would cross a process boundary), or none if it can't be.
     */
    public static TaskFailedException taskFailed(String taskName, Throwable error, Serializer serializer) {
        return taskFailed(taskName, null, error, serializer);
    }

    /** Like {@link #taskFailed(String, Throwable, Serializer)}, naming the node the task ran on (null if unknown). */
    public static TaskFailedException taskFailed(String taskName, String nodeId, Throwable error, Serializer serializer) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        Throwable copy = rebuild(error, serializer);
        TaskFailedException failed = new TaskFailedException(taskName, nodeId, error.getClass().getName(),
                error.getMessage(), trace.toString(), copy);
        if (copy == null) {
            // Nothing to print the remote frames from: keep them in the stack trace printed, not in the message.
            failed.addSuppressed(new RemoteStackTrace(trace.toString()));
        }
        return failed;
    }

    /** The text of a remote stack trace, shown by {@code printStackTrace} of the failure that carries it. */
    static final class RemoteStackTrace extends RuntimeException {
        RemoteStackTrace(String trace) {
            super("remote stack trace:\n" + trace, null, false, false);
        }
    }

    private static Throwable rebuild(Throwable error, Serializer serializer) {
        if (error instanceof VirtualMachineError) {
            return null; // copying may need the very memory that ran out; the text says enough
        }
        try {
            Object copy = serializer.deserialize(serializer.serialize(error));
            return copy instanceof Throwable t && t.getClass() == error.getClass() ? t : null;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}

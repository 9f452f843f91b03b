package dev.weft.spark.internal;

import java.io.IOException;
import java.io.InputStream;
import org.apache.spark.executor.CoarseGrainedExecutorBackend;

/**
 * The main class of an executor JVM started by a Weft actor: Spark's {@code CoarseGrainedExecutorBackend} with a
 * guard that ends the JVM when its stdin (a pipe from the actor's JVM) reaches end of file, so an executor never
 * outlives the Weft node that started it, even when that JVM is killed. Not for direct use.
 */
public final class ExecutorMain {
    /** The exit code when stdin closed: the actor destroyed this JVM, or the actor's JVM went away. */
    static final int PARENT_GONE = 3;

    private ExecutorMain() {
    }

    public static void main(String[] args) {
        Thread guard = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // nothing is ever sent; reading only waits for the pipe to close
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of file
            }
            System.err.println("weft: stdin closed (the actor stopped this executor, or its Weft node is gone); exiting");
            System.exit(PARENT_GONE);
        }, "weft-executor-guard");
        guard.setDaemon(true);
        guard.start();
        CoarseGrainedExecutorBackend.main(args);
    }
}

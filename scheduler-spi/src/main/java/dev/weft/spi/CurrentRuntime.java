package dev.weft.spi;

import java.util.Optional;

/**
 * Which runtime {@code Weft.current()} returns: the one bound to this thread (runtimes bind it on the
 * threads that run tasks and actor calls), else the most recently started one that is still open.
 */
public final class CurrentRuntime {
    private static final ThreadLocal<WeftRuntime> BOUND = new ThreadLocal<>();
    private static volatile WeftRuntime latest;

    private CurrentRuntime() {
    }

    public static Optional<WeftRuntime> get() {
        WeftRuntime bound = BOUND.get();
        return Optional.ofNullable(bound != null ? bound : latest);
    }

    /** Binds {@code runtime} to the calling thread ({@code null} unbinds). */
    public static void bind(WeftRuntime runtime) {
        if (runtime == null) {
            BOUND.remove();
        } else {
            BOUND.set(runtime);
        }
    }

    /** Called by {@code Weft.init} for a runtime it started. */
    public static void started(WeftRuntime runtime) {
        latest = runtime;
    }

    /** Called when a runtime closes. */
    public static void closed(WeftRuntime runtime) {
        if (latest == runtime) {
            latest = null;
        }
        if (BOUND.get() == runtime) {
            BOUND.remove();
        }
    }
}

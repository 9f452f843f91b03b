package dev.weft.testing;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.util.function.Consumer;

/**
 * Starts runtimes for one test beyond the default one, e.g. with a different configuration. Every session
 * started here is checked and closed after the test like the default one. Obtained as a test-method parameter
 * under {@link WeftTest}; not thread-safe (use it from the test's thread).
 */
public interface WeftSessions {
    /** The configuration the test's annotation describes. */
    WeftConfig config();

    /** The test's default session (the one a {@code Weft} parameter receives), started on first use. */
    Weft weft();

    /**
     * Starts a new runtime from {@link #config()} changed by {@code customizer} (which sees a builder holding the
     * annotation's settings; nodes it adds come after the annotation's nodes).
     */
    Weft start(Consumer<WeftConfig.Builder> customizer);

    /** Starts a new runtime from exactly {@code config}. */
    Weft start(WeftConfig config);
}

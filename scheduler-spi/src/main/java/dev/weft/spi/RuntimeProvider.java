package dev.weft.spi;

import dev.weft.api.WeftConfig;

/**
 * Starts or connects to a runtime. Found by {@link java.util.ServiceLoader}; {@code Weft.init} asks every
 * provider whether it {@link #accepts} the address and starts the one with the highest {@link #priority()}.
 * Implementations must have a public no-argument constructor and be thread-safe.
 */
public interface RuntimeProvider {
    /** A short name for errors and logs, e.g. "local", "inline", "cluster". */
    String name();

    /** Whether this provider serves {@code address} ("local", "inline", "host:port", ...). */
    boolean accepts(String address);

    /** Breaks ties when several providers accept an address; higher wins. */
    default int priority() {
        return 0;
    }

    /** Starts (or connects to) a runtime. The caller owns the result and closes it. */
    WeftRuntime start(WeftConfig config);
}

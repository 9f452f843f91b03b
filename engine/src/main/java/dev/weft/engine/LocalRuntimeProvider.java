package dev.weft.engine;

import dev.weft.api.WeftConfig;
import dev.weft.engine.internal.runtime.LocalRuntime;
import dev.weft.spi.RuntimeProvider;
import dev.weft.spi.WeftRuntime;

/**
 * The {@code local} provider: the whole engine embedded in this JVM, with the virtual nodes of
 * {@link WeftConfig#nodes()} (default: one node with every CPU). Accepts no address or "local".
 */
public final class LocalRuntimeProvider implements RuntimeProvider {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean accepts(String address) {
        return address == null || address.isBlank() || "local".equalsIgnoreCase(address.trim());
    }

    @Override
    public WeftRuntime start(WeftConfig config) {
        return new LocalRuntime(config);
    }
}

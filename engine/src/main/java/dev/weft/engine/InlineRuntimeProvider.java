package dev.weft.engine;

import dev.weft.api.WeftConfig;
import dev.weft.engine.internal.inline.InlineRuntime;
import dev.weft.spi.RuntimeProvider;
import dev.weft.spi.WeftRuntime;

/**
 * The {@code inline} provider (address "inline"): each task runs on the caller's thread when submitted, for
 * debugging, like Ray's local mode. See {@code InlineRuntime} for what differs from the local engine.
 */
public final class InlineRuntimeProvider implements RuntimeProvider {
    @Override
    public String name() {
        return "inline";
    }

    @Override
    public boolean accepts(String address) {
        return address != null && "inline".equalsIgnoreCase(address.trim());
    }

    @Override
    public WeftRuntime start(WeftConfig config) {
        return new InlineRuntime(config);
    }
}

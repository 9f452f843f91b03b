package dev.weft.engine;

import dev.weft.api.WeftConfig;
import dev.weft.engine.internal.cluster.ClusterProtocol;
import dev.weft.engine.internal.cluster.ClusterRuntime;
import dev.weft.spi.RuntimeProvider;
import dev.weft.spi.WeftRuntime;

/**
 * The {@code cluster} provider (address {@code host:port} or {@code weft://host:port}): joins a running cluster
 * started with {@code weft start --head} as a driver. The cluster token comes from the config property
 * {@code token}, else {@code $WEFT_TOKEN}, else the session directory (property {@code sessionDir}).
 */
public final class ClusterRuntimeProvider implements RuntimeProvider {
    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public boolean accepts(String address) {
        return ClusterProtocol.isClusterAddress(address);
    }

    @Override
    public WeftRuntime start(WeftConfig config) {
        return new ClusterRuntime(config);
    }
}

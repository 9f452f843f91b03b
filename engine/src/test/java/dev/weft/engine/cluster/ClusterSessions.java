package dev.weft.engine.cluster;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.testing.LeakChecks;
import dev.weft.testing.WeftSessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test {@code Weft} drivers on one shared 3-node cluster of real JVMs (a head and two workers, two CPUs
 * each), started on first use and destroyed when the test run ends. After each test the drivers' objects must be
 * gone from every store (unless the test failed), then the drivers are closed.
 */
public final class ClusterSessions implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClusterSessions.class);

    /** The shared cluster, closed by JUnit at the end of the run. */
    static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final ClusterProcesses cluster;

        Shared() throws Exception {
            cluster = ClusterProcesses.start(2, 2, 256L << 20);
        }

        @Override
        public void close() {
            cluster.close();
        }
    }

    public static ClusterProcesses cluster(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Shared.class, k -> {
            try {
                return new Shared();
            } catch (Exception e) {
                throw new IllegalStateException("the test cluster did not start: " + e.getMessage(), e);
            }
        }, Shared.class).cluster;
    }

    public static WeftConfig config(ClusterProcesses c) {
        return WeftConfig.builder().address(c.address()).property("token", c.token()).build();
    }

    private static final class Sessions implements WeftSessions {
        final ClusterProcesses cluster;
        final List<Weft> started = new ArrayList<>();
        Weft main;

        Sessions(ClusterProcesses cluster) {
            this.cluster = cluster;
        }

        @Override
        public WeftConfig config() {
            return ClusterSessions.config(cluster);
        }

        @Override
        public synchronized Weft weft() {
            if (main == null) {
                main = start(config());
            }
            return main;
        }

        @Override
        public synchronized Weft start(Consumer<WeftConfig.Builder> customizer) {
            WeftConfig.Builder b = WeftConfig.builder().address(cluster.address()).property("token", cluster.token());
            customizer.accept(b);
            return start(b.build());
        }

        @Override
        public synchronized Weft start(WeftConfig config) {
            Weft w = Weft.init(config);
            started.add(w);
            return w;
        }
    }

    private static Sessions sessions(ExtensionContext context) {
        ClusterProcesses c = cluster(context);
        return context.getStore(NS).getOrComputeIfAbsent(Sessions.class, k -> new Sessions(c), Sessions.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
        Class<?> t = p.getParameter().getType();
        return t == Weft.class || t == WeftSessions.class || t == ClusterProcesses.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext context) {
        Class<?> t = p.getParameter().getType();
        if (t == ClusterProcesses.class) {
            return cluster(context);
        }
        Sessions s = sessions(context);
        return t == Weft.class ? s.weft() : s;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Sessions s = context.getStore(NS).remove(Sessions.class, Sessions.class);
        if (s == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean check = context.getExecutionException().isEmpty();
        for (Weft w : s.started) {
            try {
                if (check) {
                    List<String> held = LeakChecks.awaitStoresEmpty(w, Duration.ofSeconds(20));
                    if (!held.isEmpty()) {
                        problems.add("objects left in stores: " + held);
                    }
                }
            } catch (dev.weft.api.WeftException e) {
                if (!e.getMessage().contains("is closed")) {
                    problems.add("the stores could not be checked: " + e.getMessage());
                }
                // a session the test closed itself has nothing left to check
            } finally {
                w.close();
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("cluster hygiene check failed for " + context.getDisplayName() + ": " + problems);
        }
    }
}

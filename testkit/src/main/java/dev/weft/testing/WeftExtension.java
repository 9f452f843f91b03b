package dev.weft.testing;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WeftTest}: starts runtimes for a test on demand, then checks and closes
 * them. Register it with {@code @WeftTest}; it keeps its state per test in the extension context's store.
 */
public final class WeftExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WeftExtension.class);
    /** Time for dropped handles to be collected and released; generous because the machine may be busy. */
    private static final Duration OBJECT_PATIENCE = Duration.ofSeconds(20);
    private static final Duration THREAD_PATIENCE = Duration.ofSeconds(10);

    @Override
    public void beforeEach(ExtensionContext context) {
        state(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Weft.class || type == WeftSessions.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        State state = state(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Weft.class) {
            return state.weft();
        }
        if (type == WeftSessions.class) {
            return state;
        }
        throw new ParameterResolutionException("WeftExtension cannot supply a " + type.getName());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        State state = context.getStore(NAMESPACE).remove(State.class, State.class);
        if (state == null) {
            return;
        }
        boolean check = context.getExecutionException().isEmpty();
        List<String> problems = new ArrayList<>();
        RuntimeException closeFailure = null;
        for (int i = 0; i < state.sessions.size(); i++) {
            Weft weft = state.sessions.get(i);
            try {
                if (check && state.settings.checkObjects()) {
                    List<String> held = LeakChecks.awaitStoresEmpty(weft, OBJECT_PATIENCE);
                    if (!held.isEmpty()) {
                        problems.add("session " + i + " (" + weft.runtime().providerName()
                                + ") still holds objects after the test: " + held);
                    }
                }
            } finally {
                try {
                    weft.close();
                } catch (RuntimeException e) {
                    closeFailure = closeFailure == null ? e : closeFailure;
                }
            }
        }
        if (check && state.settings.checkThreads()) {
            List<String> stray = LeakChecks.threadsStartedSince(state.threadsBefore, THREAD_PATIENCE);
            if (!stray.isEmpty()) {
                problems.add("threads outlived close(): " + stray);
            }
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Weft hygiene check failed for " + context.getDisplayName() + ":\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static State state(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(State.class, k -> new State(settings(context)), State.class);
    }

    private static WeftTest settings(ExtensionContext context) {
        Optional<WeftTest> onMethod = context.getTestMethod()
                .flatMap(m -> AnnotationSupport.findAnnotation(m, WeftTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<WeftTest> onClass = AnnotationSupport.findAnnotation(c, WeftTest.class);
            if (onClass.isPresent()) {
                return onClass.get();
            }
        }
        throw new IllegalStateException("WeftExtension needs @WeftTest on the test method or class of "
                + context.getDisplayName());
    }

    /** The configuration {@code settings} describe. */
    static WeftConfig config(WeftTest settings) {
        WeftConfig.Builder b = WeftConfig.builder()
                .address(settings.address())
                .objectStoreBytes(settings.objectStoreBytes())
                .infeasibleTimeout(Duration.ofMillis(settings.infeasibleTimeoutMillis()));
        if (!"inline".equals(settings.address())) {
            b.nodes(settings.nodes(), settings.cpusPerNode());
        }
        return b.build();
    }

    private static final class State implements WeftSessions {
        final WeftTest settings;
        final Set<Thread> threadsBefore = LeakChecks.threadSnapshot();
        final List<Weft> sessions = new ArrayList<>();
        Weft main;

        State(WeftTest settings) {
            this.settings = settings;
        }

        @Override
        public WeftConfig config() {
            return WeftExtension.config(settings);
        }

        @Override
        public synchronized Weft weft() {
            if (main == null) {
                main = Weft.init(config());
                sessions.add(main);
            }
            return main;
        }

        @Override
        public synchronized Weft start(Consumer<WeftConfig.Builder> customizer) {
            WeftConfig base = config();
            WeftConfig.Builder b = WeftConfig.builder()
                    .address(base.address())
                    .objectStoreBytes(base.objectStoreBytes())
                    .infeasibleTimeout(base.infeasibleTimeout());
            base.nodes().forEach(b::addNode);
            base.spillUris().forEach(b::spillUri);
            base.properties().forEach(b::property);
            customizer.accept(b);
            return start(b.build());
        }

        @Override
        public synchronized Weft start(WeftConfig config) {
            Weft weft = Weft.init(config);
            sessions.add(weft);
            return weft;
        }
    }
}

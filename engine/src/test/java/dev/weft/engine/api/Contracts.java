package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.util.List;

/** Helpers shared by the API contract tests. */
final class Contracts {
    private Contracts() {
    }

    /** Whether tasks run concurrently with the caller (false on the inline provider, which runs them in place). */
    static boolean concurrent(Weft weft) {
        return !"inline".equals(weft.runtime().providerName());
    }

    /**
     * Whether tasks run in the test's own JVM, so that {@link Gates} (static latches and counters) connect the test
     * with its tasks. False on a cluster, whose tasks run in node JVMs: the cases that steer tasks through gates
     * are skipped there (they need a cross-JVM gate, e.g. through the GCS KV store, which the cluster API does not
     * expose yet).
     */
    static boolean sameJvm(Weft weft) {
        return !"cluster".equals(weft.runtime().providerName());
    }

    static List<String> ids(List<? extends ObjectRef<?>> refs) {
        return refs.stream().map(ObjectRef::id).toList();
    }

    static List<String> ids(ObjectRef<?>... refs) {
        return ids(List.of(refs));
    }

    /** A normal task still runs: every bad-input test ends with this. */
    static void assertRuntimeWorks(Weft weft) {
        assertEquals(49, weft.task(Fns::square, 7).remote().get());
    }

    /** Asserts that {@code message} names each of {@code parts}. */
    static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message != null && message.contains(p), "expected '" + p + "' in: " + message);
        }
    }
}

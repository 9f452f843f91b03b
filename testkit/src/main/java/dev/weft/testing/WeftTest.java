package dev.weft.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh Weft runtime and checks its hygiene afterwards.
 *
 * <pre>{@code
 * @WeftTest(nodes = 3, cpusPerNode = 2)
 * class MyTest {
 *     @Test
 *     void squares(Weft weft) {
 *         assertEquals(16, weft.task(MathFns::square, 4).remote().get());
 *     }
 * }
 * }</pre>
 *
 * A {@code Weft} parameter (of a test or {@code @BeforeEach}/{@code @AfterEach} method) is a session on a
 * runtime started for that test from these attributes; a {@link WeftSessions} parameter starts more. After the
 * test every session is checked and closed: no object may remain in any node's object store (garbage-collected
 * handles are given time to be released), and no thread the runtime started may outlive {@code close()}
 * (non-daemon threads, and any thread whose name contains "weft"). The checks are skipped when the test itself
 * failed. On a method the annotation replaces the one on the class.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@ExtendWith(WeftExtension.class)
public @interface WeftTest {
    /** The runtime's address: "local" (the embedded cluster) or "inline". */
    String address() default "local";

    /** Virtual nodes of the embedded cluster. */
    int nodes() default 1;

    /** CPUs of each virtual node. */
    double cpusPerNode() default 2;

    /** Object store capacity of each node, in bytes. */
    long objectStoreBytes() default 256L << 20;

    /** How long a task that no node can ever run waits before it fails, in milliseconds. */
    long infeasibleTimeoutMillis() default 60_000;

    /** Whether to fail the test when objects remain in a store after it. */
    boolean checkObjects() default true;

    /** Whether to fail the test when runtime threads outlive {@code close()}. */
    boolean checkThreads() default true;
}

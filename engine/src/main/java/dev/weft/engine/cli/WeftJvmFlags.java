package dev.weft.engine.cli;

import java.util.List;

/**
 * The JVM flags a JVM running Weft needs (docs/jvm-flags.md; the parent pom's {@code weft.jvm.flags} holds the same
 * list, and a test keeps the two equal). {@code weft run} starts programs with them.
 */
final class WeftJvmFlags {
    static final List<String> FLAGS = List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Dchronicle.analytics.disable=true",
            "--sun-misc-unsafe-memory-access=allow");

    /** The oldest JDK Weft runs on. */
    static final int JDK_FEATURE = 25;

    private WeftJvmFlags() {
    }
}

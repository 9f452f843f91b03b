package dev.weft.data.internal.arrow;

import java.nio.ByteBuffer;

/**
 * The check that the JVM was started with the flags Arrow needs (docs/jvm-flags.md): without
 * {@code --add-opens=java.base/java.nio=ALL-UNNAMED} Arrow's memory layer cannot reach direct buffers and every
 * allocation fails with an {@code UnsupportedOperationException} that names no flag. Run once, before the first
 * allocator is made.
 */
public final class JvmFlags {
    static final String JAVA_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    private JvmFlags() {
    }

    /** Fails naming the missing flag when {@code java.nio} is not open to this code's module. */
    public static void require() {
        String missing = missing(ByteBuffer.class.getModule().isOpen("java.nio", JvmFlags.class.getModule()));
        if (missing != null) {
            throw new IllegalStateException(missing);
        }
    }

    /** The error for a JVM where {@code java.nio} is (not) open, or null when it is. */
    static String missing(boolean nioOpen) {
        if (nioOpen) {
            return null;
        }
        return "Weft datasets need the JVM flag " + JAVA_NIO + " (Arrow's memory layer reads direct buffers); start "
                + "java with it, or add 'Add-Opens: java.base/java.nio' to an executable jar's manifest. "
                + "All flags Weft needs, and where to put them for Maven, Gradle and jars, are listed in "
                + "docs/jvm-flags.md.";
    }
}

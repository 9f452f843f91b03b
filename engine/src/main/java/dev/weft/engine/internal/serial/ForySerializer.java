package dev.weft.engine.internal.serial;

import dev.weft.api.SerializationException;
import dev.weft.spi.Serializer;
import java.util.function.Consumer;
import org.apache.fory.BaseFory;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;

/**
 * The general-purpose {@link Serializer}: Apache Fory in Java mode, class registration off and compatible
 * mode on (user classes work without registration), reference tracking on (shared and cyclic graphs
 * survive). A pool of Fory instances, not one per thread: tasks run on short-lived virtual threads.
 */
public final class ForySerializer implements Serializer {
    private final ThreadSafeFory fory;

    static {
        // Fory's messages through the application's slf4j backend, like every other library's, rather than Fory's
        // own console logger: a program's logging configuration then governs them (the starter keeps them at WARN
        // and Fory's code generator, whose queued compiles are refused as the JVM exits, at ERROR).
        org.apache.fory.logging.LoggerFactory.useSlf4jLogging(true);
    }

    /** {@code registrations} adds custom serializers (handles) before first use. */
    public ForySerializer(Consumer<BaseFory> registrations) {
        this(registrations, null);
    }

    /** Like {@link #ForySerializer(Consumer)}, resolving classes through {@code loader} (null: Fory's default). */
    public ForySerializer(Consumer<BaseFory> registrations, ClassLoader loader) {
        var builder = Fory.builder();
        if (loader != null) {
            builder.withClassLoader(loader);
        }
        this.fory = builder
                .withLanguage(Language.JAVA)
                .requireClassRegistration(false)
                .suppressClassRegistrationWarnings(true)
                .withCompatibleMode(CompatibleMode.COMPATIBLE)
                .withRefTracking(true)
                .withAsyncCompilation(true)
                // the default (128 MiB) refuses larger values on read: a big List or map of a task result would be
                // written and then never read back; peers are authenticated, so the limit is the array limit
                .withMaxGraphMemoryBytes(Integer.MAX_VALUE)
                .buildThreadSafeForyPool(Math.max(2, Runtime.getRuntime().availableProcessors() * 2));
        registrations.accept(fory);
    }

    @Override
    public String name() {
        return "fory";
    }

    @Override
    public byte[] serialize(Object value) {
        try {
            return fory.serialize(value);
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new SerializationException("cannot serialize a value of class "
                    + (value == null ? "null" : value.getClass().getName()) + ": " + e, e);
        }
    }

    @Override
    public Object deserialize(byte[] bytes, int offset, int length) {
        try {
            if (offset == 0 && length == bytes.length) {
                return fory.deserialize(bytes);
            }
            return fory.deserialize(java.nio.ByteBuffer.wrap(bytes, offset, length));
        } catch (SerializationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SerializationException("cannot deserialize " + length + " bytes: " + e, e);
        }
    }
}

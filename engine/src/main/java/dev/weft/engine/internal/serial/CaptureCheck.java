package dev.weft.engine.internal.serial;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.SerializationException;
import dev.weft.api.WeftFunction;
import dev.weft.spi.FunctionNames;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * Checks at submission that a function could be shipped to another node: every value a lambda captures must
 * be serializable. Whether a lambda class captures anything is cached per class, so method references and
 * non-capturing lambdas cost one class-value lookup.
 */
public final class CaptureCheck {
    private static final ClassValue<Boolean> CAPTURES = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return Arrays.stream(type.getDeclaredFields()).anyMatch(f -> !Modifier.isStatic(f.getModifiers()));
        }
    };

    private CaptureCheck() {
    }

    /**
     * A function the engine made around what already crossed the wire as bytes (a cluster node's job function):
     * shippable by construction, so the check (a Java serialization of it) is skipped.
     */
    public interface AlreadyEncoded {
    }

    /** Fails with {@link SerializationException} naming the first captured value that cannot be serialized. */
    public static void check(WeftFunction function) {
        if (!CAPTURES.get(function.getClass()) || function instanceof AlreadyEncoded) {
            return;
        }
        SerializedLambda lambda = FunctionNames.serializedLambda(function);
        if (lambda == null) {
            checkValue(function, function, -1);
            return;
        }
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            checkValue(function, lambda.getCapturedArg(i), i);
        }
    }

    private static void checkValue(WeftFunction function, Object value, int index) {
        if (ValueCodec.isImmutable(value) || value instanceof ObjectRef<?> || value instanceof ActorHandle<?>
                || value instanceof PlacementGroup) {
            return;
        }
        String what = index < 0 ? "function object" : "captured value #" + index;
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new SerializationException("function " + FunctionNames.of(function) + " cannot be shipped: its "
                    + what + " of class " + value.getClass().getName() + " is not serializable (found "
                    + e.getMessage() + " inside it); capture only serializable values or pass them as arguments");
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("function " + FunctionNames.of(function) + " cannot be shipped: its "
                    + what + " of class " + value.getClass().getName() + " failed to serialize: " + e, e);
        }
    }
}

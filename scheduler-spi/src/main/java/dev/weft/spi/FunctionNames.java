package dev.weft.spi;

import dev.weft.api.WeftFunction;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/** Human-readable names for user functions ("MathFns.square"), cached per lambda class. */
public final class FunctionNames {
    private static final ConcurrentHashMap<Class<?>, String> NAMES = new ConcurrentHashMap<>();

    private FunctionNames() {
    }

    public static String of(WeftFunction function) {
        return NAMES.computeIfAbsent(function.getClass(), c -> compute(function));
    }

    private static String compute(WeftFunction function) {
        SerializedLambda lambda = serializedLambda(function);
        if (lambda == null) {
            return function.getClass().getName();
        }
        String owner = lambda.getImplClass();
        owner = owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.');
        String method = lambda.getImplMethodName();
        if (method.startsWith("lambda$")) {
            return owner + ".lambda";
        }
        return owner + "." + ("<init>".equals(method) ? "new" : method);
    }

    /** The lambda's serialized form, or {@code null} when {@code function} is not a serializable lambda. */
    public static SerializedLambda serializedLambda(Object function) {
        try {
            Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            Object replaced = writeReplace.invoke(function);
            return replaced instanceof SerializedLambda sl ? sl : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

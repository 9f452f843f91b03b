package dev.weft.spi;

import dev.weft.api.ObjectRef;
import dev.weft.api.WeftFunction;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The parameter types a user function accepts, as its call site was compiled, and the check of arguments
 * against them. A serializable lambda or method reference casts each argument to its instantiated type before it
 * reaches the method; checking first turns what would be a {@link ClassCastException} that names nothing into an
 * {@link IllegalArgumentException} naming the function, the argument's position, and the expected and actual types.
 *
 * <p>Computed once per function class (cached in a {@link ClassValue}, so a job's class loader is not pinned) and
 * thread-safe. A function whose types cannot be read (a class not visible, a hand-written implementation whose
 * {@code apply} is generic) is not checked: the call then fails as it would have.
 */
public final class FunctionSignature {
    private static final FunctionSignature UNCHECKED = new FunctionSignature(null, null, null, 0);
    private static final ClassValue<AtomicReference<FunctionSignature>> CACHE = new ClassValue<>() {
        @Override
        protected AtomicReference<FunctionSignature> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    /** Per function parameter: the type the argument must be an instance of (boxed for primitives). */
    private final Class<?>[] types;
    /** Per function parameter: how to name it: "argument 2", or "the receiver" of an instance method. */
    private final String[] positions;
    /** Per function parameter: the declared type when it differs from {@code types} (a primitive), else null. */
    private final Class<?>[] declared;
    private final int arity;

    private FunctionSignature(Class<?>[] types, String[] positions, Class<?>[] declared, int arity) {
        this.types = types;
        this.positions = positions;
        this.declared = declared;
        this.arity = arity;
    }

    /** The signature of {@code function}; computed on first use for its class. */
    public static FunctionSignature of(WeftFunction function) {
        AtomicReference<FunctionSignature> holder = CACHE.get(function.getClass());
        FunctionSignature s = holder.get();
        if (s == null) {
            s = compute(function);
            holder.set(s);
        }
        return s;
    }

    /**
     * What a call that failed with {@code failure} before or in the function should throw: an
     * {@link IllegalArgumentException} naming the argument when an argument does not fit its parameter (the cast
     * or unboxing before the method failed, so the method never ran), else {@code failure} itself. Only called on
     * the failure path, so a good call pays nothing.
     */
    public static RuntimeException explain(WeftFunction function, Object[] args, RuntimeException failure) {
        try {
            of(function).check(function, args, 0, false);
        } catch (IllegalArgumentException mismatch) {
            mismatch.initCause(failure);
            return mismatch;
        }
        return failure;
    }

    /**
     * Checks arguments as submitted, before any {@code ObjectRef} among them is resolved (refs are checked when the
     * call runs). {@code args[i]} goes to parameter {@code i + skip}: {@code skip} is 1 for an actor method, whose
     * first parameter is the actor.
     */
    public static void checkSubmitted(WeftFunction function, Object[] args, int skip) {
        of(function).check(function, args, skip, true);
    }

    private void check(WeftFunction function, Object[] args, int skip, boolean refsPending) {
        if (types == null) {
            return;
        }
        for (int i = 0; i < args.length && i + skip < arity; i++) {
            int p = i + skip;
            Object a = args[i];
            if (a == null) {
                if (declared[p] != null) {
                    throw new IllegalArgumentException(FunctionNames.of(function) + ": " + positions[p]
                            + " is null, but its parameter is a " + declared[p].getName() + ", which cannot be null");
                }
            } else if (!types[p].isInstance(a) && !(refsPending && a instanceof ObjectRef<?>)) {
                throw new IllegalArgumentException(FunctionNames.of(function) + ": " + positions[p] + " must be a "
                        + types[p].getTypeName()
                        + (declared[p] != null ? " (its parameter is a " + declared[p].getName() + ")" : "")
                        + ", got a " + a.getClass().getTypeName()
                        + (refsPending ? "" : " (the value of an ObjectRef argument, or a value passed unchecked)"));
            }
        }
    }

    private static FunctionSignature compute(WeftFunction function) {
        try {
            SerializedLambda lambda = FunctionNames.serializedLambda(function);
            return lambda != null ? fromLambda(function, lambda) : fromApplyMethod(function);
        } catch (RuntimeException | LinkageError e) {
            return UNCHECKED; // a type not visible from here: leave the check to the call itself
        }
    }

    private static FunctionSignature fromLambda(WeftFunction function, SerializedLambda lambda) {
        ClassLoader loader = function.getClass().getClassLoader();
        MethodType instantiated = MethodType.fromMethodDescriptorString(lambda.getInstantiatedMethodType(), loader);
        MethodType impl = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
        int n = instantiated.parameterCount();
        int kind = lambda.getImplMethodKind();
        boolean instanceMethod = kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface
                || kind == MethodHandleInfo.REF_invokeSpecial;
        int captured = lambda.getCapturedArgCount();
        boolean lambdaBody = lambda.getImplMethodName().startsWith("lambda$");
        // where function parameter 0 lands among the implementation's own parameters (-1: it is the receiver)
        int first = !instanceMethod ? captured : captured > 0 ? captured - 1 : -1;
        Class<?>[] types = new Class<?>[n];
        Class<?>[] declared = new Class<?>[n];
        String[] positions = new String[n];
        for (int i = 0; i < n; i++) {
            types[i] = box(instantiated.parameterType(i));
            int implIndex = first + i;
            Class<?> implType = implIndex >= 0 && implIndex < impl.parameterCount() ? impl.parameterType(implIndex) : null;
            declared[i] = implType != null && implType.isPrimitive() ? implType : null;
            int shown = instanceMethod && captured == 0 && !lambdaBody ? i - 1 : i;
            positions[i] = implIndex < 0 ? "the receiver (the object the method is called on)" : "argument " + shown;
        }
        return new FunctionSignature(types, positions, declared, n);
    }

    private static FunctionSignature fromApplyMethod(WeftFunction function) {
        int n = function.arity();
        Method apply = null;
        for (Method m : function.getClass().getMethods()) {
            if (m.getName().equals("apply") && m.getParameterCount() == n && !m.isBridge() && !m.isSynthetic()
                    && !Modifier.isStatic(m.getModifiers())) {
                if (apply != null) {
                    return UNCHECKED; // overloaded: which one a call reaches is the class's business
                }
                apply = m;
            }
        }
        if (apply == null) {
            return UNCHECKED;
        }
        Class<?>[] types = new Class<?>[n];
        Class<?>[] declared = new Class<?>[n];
        String[] positions = new String[n];
        for (int i = 0; i < n; i++) {
            Class<?> t = apply.getParameterTypes()[i];
            types[i] = box(t);
            declared[i] = t.isPrimitive() ? t : null;
            positions[i] = "argument " + i;
        }
        return new FunctionSignature(types, positions, declared, n);
    }

    private static Class<?> box(Class<?> t) {
        if (!t.isPrimitive()) {
            return t;
        }
        return MethodType.methodType(t).wrap().returnType();
    }
}

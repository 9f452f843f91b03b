package dev.weft.api;

/**
 * A function of 0 arguments that Weft can run remotely: a static method reference, a constructor
 * reference, or a lambda whose captured values are serializable. Serializable so that it can be
 * shipped as a {@link java.lang.invoke.SerializedLambda}.
 */
@FunctionalInterface
public interface WeftFunc0<R> extends WeftFunction {
    R apply() throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        return apply();
    }

    @Override
    default int arity() {
        return 0;
    }
}

package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/**
 * A function of 1 argument that Weft can run remotely: a static method reference, a constructor
 * reference, or a lambda whose captured values are serializable. Serializable so that it can be
 * shipped as a {@link java.lang.invoke.SerializedLambda}.
 */
@FunctionalInterface
public interface WeftFunc1<T0, R> extends WeftFunction {
    R apply(T0 t0) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            return apply((T0) a[0]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
    }

    @Override
    default int arity() {
        return 1;
    }
}

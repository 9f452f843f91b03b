package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/**
 * A function of 2 arguments that Weft can run remotely: a static method reference, a constructor
 * reference, or a lambda whose captured values are serializable. Serializable so that it can be
 * shipped as a {@link java.lang.invoke.SerializedLambda}.
 */
@FunctionalInterface
public interface WeftFunc2<T0, T1, R> extends WeftFunction {
    R apply(T0 t0, T1 t1) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            return apply((T0) a[0], (T1) a[1]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
    }

    @Override
    default int arity() {
        return 2;
    }
}

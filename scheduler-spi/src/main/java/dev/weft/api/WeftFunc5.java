package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/**
 * A function of 5 arguments that Weft can run remotely: a static method reference, a constructor
 * reference, or a lambda whose captured values are serializable. Serializable so that it can be
 * shipped as a {@link java.lang.invoke.SerializedLambda}.
 */
@FunctionalInterface
public interface WeftFunc5<T0, T1, T2, T3, T4, R> extends WeftFunction {
    R apply(T0 t0, T1 t1, T2 t2, T3 t3, T4 t4) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            return apply((T0) a[0], (T1) a[1], (T2) a[2], (T3) a[3], (T4) a[4]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
    }

    @Override
    default int arity() {
        return 5;
    }
}

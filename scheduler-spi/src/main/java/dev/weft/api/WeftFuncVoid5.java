package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/** Like {@link WeftFunc5}, for methods that return nothing; the task's result is {@code null}. */
@FunctionalInterface
public interface WeftFuncVoid5<T0, T1, T2, T3, T4> extends WeftFunction {
    void apply(T0 t0, T1 t1, T2 t2, T3 t3, T4 t4) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            apply((T0) a[0], (T1) a[1], (T2) a[2], (T3) a[3], (T4) a[4]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
        return null;
    }

    @Override
    default int arity() {
        return 5;
    }
}

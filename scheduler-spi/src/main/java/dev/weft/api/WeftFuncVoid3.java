package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/** Like {@link WeftFunc3}, for methods that return nothing; the task's result is {@code null}. */
@FunctionalInterface
public interface WeftFuncVoid3<T0, T1, T2> extends WeftFunction {
    void apply(T0 t0, T1 t1, T2 t2) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            apply((T0) a[0], (T1) a[1], (T2) a[2]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
        return null;
    }

    @Override
    default int arity() {
        return 3;
    }
}

package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/** Like {@link WeftFunc2}, for methods that return nothing; the task's result is {@code null}. */
@FunctionalInterface
public interface WeftFuncVoid2<T0, T1> extends WeftFunction {
    void apply(T0 t0, T1 t1) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            apply((T0) a[0], (T1) a[1]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
        return null;
    }

    @Override
    default int arity() {
        return 2;
    }
}

package dev.weft.api;

import dev.weft.spi.FunctionSignature;

/** Like {@link WeftFunc1}, for methods that return nothing; the task's result is {@code null}. */
@FunctionalInterface
public interface WeftFuncVoid1<T0> extends WeftFunction {
    void apply(T0 t0) throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        try {
            apply((T0) a[0]);
        } catch (ClassCastException | NullPointerException e) {
            throw FunctionSignature.explain(this, a, e);
        }
        return null;
    }

    @Override
    default int arity() {
        return 1;
    }
}

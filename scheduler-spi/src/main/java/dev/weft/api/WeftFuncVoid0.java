package dev.weft.api;

/** Like {@link WeftFunc0}, for methods that return nothing; the task's result is {@code null}. */
@FunctionalInterface
public interface WeftFuncVoid0 extends WeftFunction {
    void apply() throws Exception;

    @Override
    @SuppressWarnings("unchecked")
    default Object invoke(Object[] a) throws Exception {
        apply();
        return null;
    }

    @Override
    default int arity() {
        return 0;
    }
}

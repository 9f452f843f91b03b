package dev.weft.data;

import dev.weft.spi.FunctionNames;

/** Short names of user functions for plans and statistics: {@code Scorer} for {@code Scorer::new}, {@code Fns.score}. */
final class FunctionLabels {
    private FunctionLabels() {
    }

    static String of(Object fn) {
        var lambda = FunctionNames.serializedLambda(fn);
        if (lambda == null) {
            return fn.getClass().getSimpleName();
        }
        String owner = lambda.getImplClass();
        owner = owner.substring(owner.lastIndexOf('/') + 1);
        owner = owner.substring(owner.lastIndexOf('$') + 1);
        String method = lambda.getImplMethodName();
        if ("<init>".equals(method)) {
            return owner;
        }
        return owner + "." + (method.startsWith("lambda$") ? "lambda" : method);
    }
}

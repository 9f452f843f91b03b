package dev.weft.spi;

import dev.weft.api.TaskOptions;
import dev.weft.api.WeftFunction;

/**
 * A task as submitted: the function, its arguments as given (values or {@code ObjectRef}s, not yet resolved)
 * and its options. The runtime takes ownership of {@code args}; the caller must not change it.
 */
public record TaskSpec(WeftFunction function, Object[] args, TaskOptions options) {
    public TaskSpec {
        if (function == null) {
            throw new IllegalArgumentException("task function must not be null");
        }
        if (args.length != function.arity()) {
            throw new IllegalArgumentException("function takes " + function.arity() + " arguments, got " + args.length);
        }
    }

    /** The name shown in errors: the option, else the function's implementation method. */
    public String displayName() {
        return options.name() != null ? options.name() : FunctionNames.of(function);
    }
}

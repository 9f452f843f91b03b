package dev.weft.spi;

import dev.weft.api.WeftFunction;

/**
 * A call on an actor: {@code method} takes the actor instance as its first argument, then {@code args}
 * (values or {@code ObjectRef}s, as given). {@code name} may be null.
 */
public record ActorCallSpec(WeftFunction method, Object[] args, String name) {
    public ActorCallSpec {
        if (method == null) {
            throw new IllegalArgumentException("actor method must not be null");
        }
        if (args.length + 1 != method.arity()) {
            throw new IllegalArgumentException("actor method takes " + (method.arity() - 1) + " arguments, got " + args.length);
        }
    }

    public String displayName() {
        return name != null ? name : FunctionNames.of(method);
    }
}

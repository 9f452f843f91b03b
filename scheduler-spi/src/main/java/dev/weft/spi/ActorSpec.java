package dev.weft.spi;

import dev.weft.api.ActorOptions;
import dev.weft.api.WeftFunction;

/** An actor as created: the constructor (any function returning the instance), its arguments and options. */
public record ActorSpec(WeftFunction constructor, Object[] args, ActorOptions options) {
    public ActorSpec {
        if (constructor == null) {
            throw new IllegalArgumentException("actor constructor must not be null");
        }
        if (args.length != constructor.arity()) {
            throw new IllegalArgumentException("constructor takes " + constructor.arity() + " arguments, got " + args.length);
        }
    }

    public String displayName() {
        return options.name() != null ? options.name() : FunctionNames.of(constructor);
    }
}

package dev.weft.api;

import java.io.Serializable;

/**
 * The common parent of {@code WeftFunc0..6} and {@code WeftFuncVoid0..6}: what a runtime needs to call
 * a user function without knowing its arity at compile time. Users never implement it directly.
 */
public interface WeftFunction extends Serializable {
    /** Calls the function with {@code args.length == arity()} already-resolved arguments. */
    Object invoke(Object[] args) throws Exception;

    /** The number of arguments the function takes (for an actor method: the actor counts as the first). */
    int arity();
}

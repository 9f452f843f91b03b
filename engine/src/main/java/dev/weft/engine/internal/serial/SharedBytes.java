package dev.weft.engine.internal.serial;

/**
 * Bytes the engine hands to a task by reference, never copied: an encoded argument a transport received, which no
 * one else holds and no one changes (the task decodes its value from them). Passing a plain {@code byte[]} instead
 * would copy it twice (once when the task is submitted, once when it runs), three copies of a large argument.
 */
public record SharedBytes(byte[] bytes) {
}

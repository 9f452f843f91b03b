package dev.weft.engine.api;

/** A value that cannot be serialized, captured by a lambda in the bad-input tests. */
final class NotSerializableThing {
    final int value;

    NotSerializableThing(int value) {
        this.value = value;
    }
}

package dev.weft.store;

import java.util.Objects;

/**
 * The key of an object in a store: the cluster-unique id the engine gives the object (for example
 * {@link dev.weft.api.ObjectRef#id()}). Immutable value.
 *
 * @param value non-blank id text, at most 1,024 UTF-8 characters (it is written into spill file headers)
 */
public record ObjectId(String value) {
    public ObjectId {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > 1024) {
            throw new IllegalArgumentException("object id must be 1..1024 characters and not blank, got '" + value + "'");
        }
    }

    public static ObjectId of(String value) {
        return new ObjectId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

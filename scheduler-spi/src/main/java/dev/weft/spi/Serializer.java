package dev.weft.spi;

/**
 * Turns values into bytes and back. Implementations are thread-safe. A value that cannot be serialized
 * fails with {@link dev.weft.api.SerializationException} naming its class.
 */
public interface Serializer {
    /** A short name recorded with each stored object's encoding. */
    String name();

    byte[] serialize(Object value);

    Object deserialize(byte[] bytes, int offset, int length);

    default Object deserialize(byte[] bytes) {
        return deserialize(bytes, 0, bytes.length);
    }
}

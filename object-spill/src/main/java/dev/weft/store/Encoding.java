package dev.weft.store;

/** How an object's bytes are laid out. Recorded with the object and in its spill record. */
public enum Encoding {
    /** Arrow IPC stream (schema, one record batch, end marker); read back zero-copy as a {@code VectorSchemaRoot}. */
    ARROW_IPC,
    /** Bytes written by a {@link dev.weft.spi.Serializer}; the store does not interpret them. */
    SERIALIZED,
    /** Raw bytes ({@code byte[]}, primitive arrays); the store does not interpret them. */
    RAW;

    /** Stable one-byte code used in spill files. */
    public byte code() {
        return (byte) ordinal();
    }

    public static Encoding ofCode(byte code) {
        Encoding[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown encoding code " + code);
        }
        return all[code];
    }
}

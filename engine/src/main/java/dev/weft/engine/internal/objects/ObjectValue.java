package dev.weft.engine.internal.objects;

/** Where and how a ready object's value is held. Immutable. */
public sealed interface ObjectValue {
    /** Serialized size in bytes (0 for values kept as immutable Java objects). */
    long size();

    /** An immutable JDK value (String, boxed primitive) shared as is: copying it would change nothing. */
    record Immutable(Object value) implements ObjectValue {
        @Override
        public long size() {
            return 0;
        }
    }

    /** A small object held by its owner with the reply, as bytes in an encoding of {@code ValueCodec}. */
    record Inline(byte encoding, byte[] bytes) implements ObjectValue {
        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** A large object held in the store of node {@code node}. */
    record Stored(int node, byte encoding, long size) implements ObjectValue {
    }

    /** The task failed, was cancelled, or the object was lost: every get throws {@code error}. */
    record Failed(RuntimeException error) implements ObjectValue {
        @Override
        public long size() {
            return 0;
        }
    }
}

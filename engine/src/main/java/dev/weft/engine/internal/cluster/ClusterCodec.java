package dev.weft.engine.internal.cluster;

import dev.weft.api.ActorHandle;
import dev.weft.api.ErrorType;
import dev.weft.api.ObjectRef;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.serial.ForySerializer;
import org.apache.fory.BaseFory;
import org.apache.fory.config.Config;
import org.apache.fory.context.ReadContext;
import org.apache.fory.context.WriteContext;

/**
 * Encodes what crosses JVMs: functions, arguments, results and errors, with Fory. Refs and actor handles inside
 * values are written by id and the address that serves them, and rebuilt on the other side by its {@link Side}:
 * a driver recognises its own objects (and counts the new handle), a node exports its local refs and actors so
 * that others can reach them. Thread-safe.
 */
final class ClusterCodec {
    /** What a participant does with handles it writes and reads. */
    interface Side {
        /** A handle on the object {@code id}, whose value {@code holder} serves; {@code owner} is the owning job or "". */
        ObjectRef<?> refFromWire(String id, String holder, String owner);

        /** Makes a ref of this JVM's embedded node reachable by id; returns the id (nodes only). */
        String exportLocalRef(LocalObjectRef<?> ref);

        /** The host:port others pull exported objects and call exported actors at. */
        String address();

        ActorHandle<?> actorFromWire(String actorId, String name, String holder);

        /** Makes an actor of this JVM's embedded node callable by id; returns the cluster actor id (nodes only). */
        String exportLocalActor(LocalActorHandle<?> actor);
    }

    private final ForySerializer fory;
    private final Side side;

    ClusterCodec(Side side) {
        this(side, null);
    }

    /** A codec that resolves classes through {@code loader} (a job's), null for the default. */
    ClusterCodec(Side side, ClassLoader loader) {
        this.side = side;
        this.fory = new ForySerializer(this::register, loader);
    }

    byte[] encode(Object value) {
        if (value instanceof org.apache.arrow.vector.VectorSchemaRoot root) {
            return ClusterArrow.encode(root);
        }
        byte[] array = ClusterArrays.encode(value);
        return array != null ? array : fory.serialize(value);
    }

    Object decode(byte[] bytes) {
        if (ClusterArrow.isArrow(bytes)) {
            return ClusterArrow.decode(bytes);
        }
        if (ClusterArrays.isArray(bytes)) {
            return ClusterArrays.decode(bytes);
        }
        return fory.deserialize(bytes);
    }

    /** The error as bytes; when it cannot be encoded, a {@link WeftException} carrying its text instead. */
    byte[] encodeError(Throwable error) {
        try {
            return fory.serialize(error);
        } catch (RuntimeException e) {
            return fory.serialize(new WeftException(ErrorType.SYSTEM_FAILURE, error.toString()));
        }
    }

    RuntimeException decodeError(byte[] bytes) {
        try {
            Object e = fory.deserialize(bytes);
            if (e instanceof RuntimeException re) {
                return re;
            }
            return new WeftException(ErrorType.SYSTEM_FAILURE, String.valueOf(e), e instanceof Throwable t ? t : null);
        } catch (RuntimeException e) {
            return new WeftException(ErrorType.SYSTEM_FAILURE, "a remote error could not be decoded: " + e, e);
        }
    }

    private void register(BaseFory f) {
        f.registerSerializer(ClusterRef.class, r -> new ClusterRefSerializer(r.getConfig()));
        f.registerSerializer(LocalObjectRef.class, r -> new LocalRefSerializer(r.getConfig()));
        f.registerSerializer(ClusterActorHandle.class, r -> new ClusterActorSerializer(r.getConfig()));
        f.registerSerializer(LocalActorHandle.class, r -> new LocalActorSerializer(r.getConfig()));
    }

    @SuppressWarnings("rawtypes")
    private final class ClusterRefSerializer extends org.apache.fory.serializer.Serializer<ClusterRef> {
        ClusterRefSerializer(Config config) {
            super(config, ClusterRef.class, false);
        }

        @Override
        public void write(WriteContext ctx, ClusterRef ref) {
            RefCapture.written(ref);
            ctx.writeString(ref.id());
            ctx.writeString(ref.holderForWire());
            ctx.writeString(ref.owner());
        }

        @Override
        public ClusterRef read(ReadContext ctx) {
            String id = ctx.readString();
            String holder = ctx.readString();
            String owner = ctx.readString();
            return (ClusterRef) side.refFromWire(id, holder, owner);
        }
    }

    /** A node-local ref leaves its JVM: it is exported and read on the other side as a {@link ClusterRef}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class LocalRefSerializer extends org.apache.fory.serializer.Serializer {
        LocalRefSerializer(Config config) {
            super(config, LocalObjectRef.class, false);
        }

        @Override
        public void write(WriteContext ctx, Object value) {
            LocalObjectRef ref = (LocalObjectRef) value;
            ctx.writeString(side.exportLocalRef(ref));
            ctx.writeString(side.address());
            ctx.writeString("");
        }

        @Override
        public Object read(ReadContext ctx) {
            // another JVM's local ref: this side sees it as a cluster ref served by that JVM
            String id = ctx.readString();
            String holder = ctx.readString();
            String owner = ctx.readString();
            return side.refFromWire(id, holder, owner);
        }
    }

    @SuppressWarnings("rawtypes")
    private final class ClusterActorSerializer extends org.apache.fory.serializer.Serializer<ClusterActorHandle> {
        ClusterActorSerializer(Config config) {
            super(config, ClusterActorHandle.class, false);
        }

        @Override
        public void write(WriteContext ctx, ClusterActorHandle handle) {
            ctx.writeString(handle.actorId());
            ctx.writeString(handle.name() == null ? "" : handle.name());
            ctx.writeString(handle.holder());
        }

        @Override
        public ClusterActorHandle read(ReadContext ctx) {
            String id = ctx.readString();
            String name = ctx.readString();
            String holder = ctx.readString();
            return (ClusterActorHandle) side.actorFromWire(id, name.isEmpty() ? null : name, holder);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private final class LocalActorSerializer extends org.apache.fory.serializer.Serializer {
        LocalActorSerializer(Config config) {
            super(config, LocalActorHandle.class, false);
        }

        @Override
        public void write(WriteContext ctx, Object value) {
            LocalActorHandle handle = (LocalActorHandle) value;
            ctx.writeString(side.exportLocalActor(handle));
            ctx.writeString(handle.name() == null ? "" : handle.name());
            ctx.writeString(side.address());
        }

        @Override
        public Object read(ReadContext ctx) {
            String id = ctx.readString();
            String name = ctx.readString();
            String holder = ctx.readString();
            return side.actorFromWire(id, name.isEmpty() ? null : name, holder);
        }
    }
}

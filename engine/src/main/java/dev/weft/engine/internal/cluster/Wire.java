package dev.weft.engine.internal.cluster;

import dev.weft.api.ObjectRef;
import dev.weft.api.SerializationException;
import dev.weft.engine.internal.cluster.proto.Arg;
import dev.weft.engine.internal.cluster.proto.RemoteObject;
import dev.weft.engine.internal.cluster.proto.TaskReply;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.serial.ValueCodec;
import java.util.concurrent.CompletableFuture;

/** Turning arguments into {@link Arg}s and replies into {@link Location}s, the same way for drivers and nodes. */
final class Wire {
    private Wire() {
    }

    /**
     * {@code arg} as sent: a ready ref by its inline value or its holder, a local ref exported, a value encoded.
     * A ref that failed makes the call fail with its error (thrown here).
     */
    static Arg arg(Object arg, ClusterCodec codec, ClusterCodec.Side side) {
        if (arg instanceof ClusterRef<?> ref) {
            Location l = ref.location().getNow(null);
            if (l instanceof Location.Inline inline && inline.bytes().length < ClusterProtocol.INLINE_LIMIT) {
                return Arg.newBuilder().setInline(NodeHost.bytes(inline.bytes())).build();
            }
            if (l instanceof Location.Failed failed) {
                throw failed.error();
            }
            return remote(ref.id(), ref.holderForWire());
        }
        if (arg instanceof LocalObjectRef<?> local) {
            return remote(side.exportLocalRef(local), side.address());
        }
        if (arg instanceof ObjectRef<?> other) {
            throw new SerializationException("ref " + other.id() + " belongs to another runtime ("
                    + other.getClass().getSimpleName() + ") and cannot be passed to a cluster task");
        }
        byte[] bytes = codec.encode(arg);
        return Arg.newBuilder().setInline(NodeHost.bytes(bytes)).build();
    }

    private static Arg remote(String id, String holder) {
        return Arg.newBuilder().setRemote(RemoteObject.newBuilder().setObjectId(id).setHolder(holder)).build();
    }

    static Location location(TaskReply reply, ClusterCodec codec) {
        return switch (reply.getKindCase()) {
            case INLINE -> new Location.Inline(reply.getInline().toByteArray());
            case STORED -> new Location.Held(reply.getStored().getHolder(), reply.getSize());
            case ERROR -> new Location.Failed(codec.decodeError(reply.getError().toByteArray()));
            case KIND_NOT_SET -> new Location.Failed(new SerializationException("an empty reply arrived"));
        };
    }

    /** Whether {@code value} needs no copy when shared (immutable JDK values). */
    static boolean immutable(Object value) {
        return ValueCodec.isImmutable(value);
    }

    /** The encoded bytes a location serves to a pull (pulling from its holder when it is elsewhere). */
    static CompletableFuture<byte[]> bytes(CompletableFuture<Location> location, String id, ClusterRef.Host host) {
        return location.thenApplyAsync(l -> switch (l) {
            case Location.Inline inline -> inline.bytes();
            case Location.Held held -> host.pull(held.holder(), id);
            case Location.Failed failed -> throw failed.error();
        }, r -> Thread.ofVirtual().start(r));
    }
}

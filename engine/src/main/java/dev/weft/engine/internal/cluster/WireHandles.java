package dev.weft.engine.internal.cluster;

import java.io.Serial;
import java.io.Serializable;

/**
 * The serial forms of cluster refs and actor handles for serializers other than the cluster codec (the embedded
 * node's own codec copies task arguments that hold them): written by id, read back through this JVM's node.
 */
final class WireHandles {
    /** The node hosted by this JVM; the side that rebuilds handles read by other codecs. */
    private static volatile ClusterCodec.Side local;

    private WireHandles() {
    }

    static void hostedBy(ClusterCodec.Side side) {
        local = side;
    }

    private static ClusterCodec.Side side() {
        ClusterCodec.Side s = local;
        if (s == null) {
            throw new IllegalStateException("a cluster handle was read in a JVM that hosts no cluster node");
        }
        return s;
    }

    static final class Ref implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String id;
        private final String holder;
        private final String owner;

        Ref(String id, String holder, String owner) {
            this.id = id;
            this.holder = holder;
            this.owner = owner;
        }

        @Serial
        private Object readResolve() {
            return side().refFromWire(id, holder, owner);
        }
    }

    static final class Actor implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final String actorId;
        private final String name;
        private final String holder;

        Actor(String actorId, String name, String holder) {
            this.actorId = actorId;
            this.name = name;
            this.holder = holder;
        }

        @Serial
        private Object readResolve() {
            return side().actorFromWire(actorId, name, holder);
        }
    }
}

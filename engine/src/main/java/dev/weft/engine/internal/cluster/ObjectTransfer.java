package dev.weft.engine.internal.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.weft.engine.internal.cluster.proto.Chunk;
import dev.weft.engine.internal.cluster.proto.Empty;
import dev.weft.engine.internal.cluster.proto.FreeRequest;
import dev.weft.engine.internal.cluster.proto.ObjectsGrpc;
import dev.weft.engine.internal.cluster.proto.PullRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Object pulls: the serving side streams an object's encoded bytes in {@link ClusterProtocol#CHUNK_BYTES} chunks,
 * sending only while the transport is ready (gRPC flow control), so a slow receiver never makes the sender
 * buffer the whole object; the pulling side reassembles them.
 */
final class ObjectTransfer {
    /** What a participant serves: the encoded bytes of an object it holds (completing when the object exists). */
    interface Source {
        CompletableFuture<byte[]> bytesOf(String id);

        void free(List<String> ids);

        ClusterCodec codec();
    }

    private ObjectTransfer() {
    }

    static ObjectsGrpc.ObjectsImplBase service(Source source) {
        return new ObjectsGrpc.ObjectsImplBase() {
            @Override
            public void pull(PullRequest request, StreamObserver<Chunk> responses) {
                serve(source, request.getObjectId(), (ServerCallStreamObserver<Chunk>) responses);
            }

            @Override
            public void free(FreeRequest request, StreamObserver<Empty> responses) {
                source.free(request.getObjectIdsList());
                responses.onNext(Empty.getDefaultInstance());
                responses.onCompleted();
            }
        };
    }

    private static void serve(Source source, String id, ServerCallStreamObserver<Chunk> out) {
        final class Sender implements Runnable {
            byte[] data;
            int pos;
            boolean done;

            @Override
            public synchronized void run() {
                if (data == null || done) {
                    return;
                }
                while (pos < data.length && out.isReady()) {
                    int n = Math.min(ClusterProtocol.CHUNK_BYTES, data.length - pos);
                    Chunk.Builder c = Chunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data, pos, n));
                    if (pos == 0) {
                        c.setTotalSize(data.length);
                    }
                    out.onNext(c.build());
                    pos += n;
                }
                if (pos >= data.length) {
                    if (data.length == 0) {
                        out.onNext(Chunk.newBuilder().setTotalSize(0).build());
                    }
                    done = true;
                    out.onCompleted();
                }
            }

            synchronized void fail(Throwable error) {
                if (!done) {
                    done = true;
                    out.onNext(Chunk.newBuilder().setError(ByteString.copyFrom(
                            source.codec().encodeError(ClusterRef.unwrap(error)))).build());
                    out.onCompleted();
                }
            }
        }
        Sender sender = new Sender();
        out.setOnReadyHandler(sender);
        out.setOnCancelHandler(() -> {
            synchronized (sender) {
                sender.done = true;
            }
        });
        CompletableFuture<byte[]> bytes;
        try {
            bytes = source.bytesOf(id);
        } catch (RuntimeException e) {
            sender.fail(e);
            return;
        }
        bytes.whenComplete((b, t) -> {
            if (t != null) {
                sender.fail(t);
            } else {
                synchronized (sender) {
                    sender.data = b;
                }
                sender.run();
            }
        });
    }

    /** The encoded bytes of {@code id} from {@code holder}; throws the object's error, or one naming the holder. */
    static byte[] pull(Channels channels, ClusterCodec codec, String holder, String id) {
        Iterator<Chunk> chunks;
        byte[] out = null;
        int pos = 0;
        try {
            chunks = ObjectsGrpc.newBlockingStub(channels.get(holder)).pull(PullRequest.newBuilder().setObjectId(id).build());
            while (chunks.hasNext()) {
                Chunk c = chunks.next();
                if (!c.getError().isEmpty()) {
                    throw codec.decodeError(c.getError().toByteArray());
                }
                if (out == null) {
                    out = new byte[Math.toIntExact(c.getTotalSize())];
                }
                c.getData().copyTo(out, pos);
                pos += c.getData().size();
            }
        } catch (StatusRuntimeException e) {
            throw new dev.weft.api.ObjectLostException("object " + id + " could not be pulled from " + holder + ": "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
        }
        if (out == null || pos != out.length) {
            throw new dev.weft.api.ObjectLostException("object " + id + " from " + holder + " arrived incomplete ("
                    + pos + " of " + (out == null ? "?" : out.length) + " bytes)");
        }
        return out;
    }
}

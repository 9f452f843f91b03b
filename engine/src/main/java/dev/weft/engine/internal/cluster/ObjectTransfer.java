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
        CompletableFuture<Payload> bytesOf(String id);

        void free(List<String> ids);

        ClusterCodec codec();
    }

    private ObjectTransfer() {
    }

    /** The encoded bytes of an object being served: on the heap, or a pinned view of a store's memory. */
    sealed interface Payload {
        long size();

        /** Chunk {@code [pos, pos + n)} as a message payload. */
        ByteString chunk(long pos, int n);

        /** Called once when the pull ended (sent, failed or cancelled). */
        void release();
    }

    record Heap(byte[] bytes) implements Payload {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public ByteString chunk(long pos, int n) {
            return UnsafeByteOperations.unsafeWrap(bytes, Math.toIntExact(pos), n);
        }

        @Override
        public void release() {
        }
    }

    /**
     * A stored image sent straight from off-heap store memory, a chunk at a time (each copied once into the message,
     * as the transport may hold a message after it is queued): no heap copy of the whole object. The view stays
     * pinned (neither evicted nor spilled) until the pull ends.
     */
    record Stored(dev.weft.store.ObjectView view) implements Payload {
        @Override
        public long size() {
            return view.info().sizeBytes();
        }

        @Override
        public ByteString chunk(long pos, int n) {
            return ByteString.copyFrom(view.asSegment().asSlice(pos, n).asByteBuffer());
        }

        @Override
        public void release() {
            view.close();
        }
    }

    static CompletableFuture<Payload> heap(CompletableFuture<byte[]> bytes) {
        return bytes.thenApply(Heap::new);
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
            Payload data;
            long pos;
            boolean done;

            @Override
            public synchronized void run() {
                if (data == null || done) {
                    return;
                }
                long size = data.size();
                while (pos < size && out.isReady()) {
                    int n = (int) Math.min(ClusterProtocol.CHUNK_BYTES, size - pos);
                    Chunk.Builder c = Chunk.newBuilder().setData(data.chunk(pos, n));
                    if (pos == 0) {
                        c.setTotalSize(size);
                    }
                    out.onNext(c.build());
                    pos += n;
                }
                if (pos >= size) {
                    if (size == 0) {
                        out.onNext(Chunk.newBuilder().setTotalSize(0).build());
                    }
                    end();
                    out.onCompleted();
                }
            }

            /** Marks the pull ended and unpins what it served (once). */
            synchronized void end() {
                if (!done) {
                    done = true;
                    if (data != null) {
                        data.release();
                    }
                }
            }

            synchronized void fail(Throwable error) {
                if (!done) {
                    end();
                    out.onNext(Chunk.newBuilder().setError(ByteString.copyFrom(
                            source.codec().encodeError(ClusterRef.unwrap(error)))).build());
                    out.onCompleted();
                }
            }
        }
        Sender sender = new Sender();
        // keep several chunks queued in the transport: with gRPC's 32 KiB default, every 1 MiB chunk waited for
        // the previous one to be flushed and for an onReady callback before the next was queued
        out.setOnReadyThreshold(4 * ClusterProtocol.CHUNK_BYTES);
        out.setOnReadyHandler(sender);
        out.setOnCancelHandler(sender::end);
        CompletableFuture<Payload> bytes;
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
                    if (sender.done) {
                        b.release(); // cancelled while the bytes were being made
                        return;
                    }
                    sender.data = b;
                }
                sender.run();
            }
        });
    }

    /**
     * The encoded bytes of {@code id} from {@code holder}; throws the object's error, or one naming the holder. The
     * chunks are copied into place as the transport delivers them, on gRPC's callback thread; the reader waits
     * interruptibly (an interrupt cancels the pull).
     */
    static byte[] pull(Channels channels, ClusterCodec codec, String holder, String id) {
        final class Receiver implements io.grpc.stub.ClientResponseObserver<PullRequest, Chunk> {
            final CompletableFuture<byte[]> done = new CompletableFuture<>();
            io.grpc.stub.ClientCallStreamObserver<PullRequest> call;
            byte[] out;
            int pos;
            RuntimeException failed;

            @Override
            public void beforeStart(io.grpc.stub.ClientCallStreamObserver<PullRequest> requestStream) {
                call = requestStream;
            }

            @Override
            public void onNext(Chunk c) {
                if (failed != null) {
                    return;
                }
                if (!c.getError().isEmpty()) {
                    failed = codec.decodeError(c.getError().toByteArray());
                    return;
                }
                if (out == null) {
                    out = new byte[Math.toIntExact(c.getTotalSize())];
                }
                if (pos + c.getData().size() > out.length) {
                    failed = new dev.weft.api.ObjectLostException("object " + id + " from " + holder + " sent more than"
                            + " the " + out.length + " bytes it announced");
                    return;
                }
                c.getData().copyTo(out, pos);
                pos += c.getData().size();
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                if (failed != null) {
                    done.completeExceptionally(failed);
                } else if (out == null || pos != out.length) {
                    done.completeExceptionally(new dev.weft.api.ObjectLostException("object " + id + " from " + holder
                            + " arrived incomplete (" + pos + " of " + (out == null ? "?" : out.length) + " bytes)"));
                } else {
                    done.complete(out);
                }
            }
        }
        Receiver r = new Receiver();
        try {
            ObjectsGrpc.newStub(channels.get(holder)).pull(PullRequest.newBuilder().setObjectId(id).build(), r);
            return r.done.get();
        } catch (InterruptedException e) {
            if (r.call != null) {
                r.call.cancel("the reader was interrupted", e);
            }
            Thread.currentThread().interrupt();
            throw new dev.weft.api.WeftException(dev.weft.api.ErrorType.CANCELLED, "interrupted while pulling object "
                    + id + " from " + holder, e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException sre) {
                throw new dev.weft.api.ObjectLostException("object " + id + " could not be pulled from " + holder + ": "
                        + sre.getStatus().getCode() + " " + sre.getStatus().getDescription(), sre);
            }
            throw ClusterRef.unwrap(e.getCause());
        } catch (StatusRuntimeException e) {
            throw new dev.weft.api.ObjectLostException("object " + id + " could not be pulled from " + holder + ": "
                    + e.getStatus().getCode() + " " + e.getStatus().getDescription(), e);
        }
    }
}

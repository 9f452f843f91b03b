package dev.weft.engine.internal.cluster;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster token on every call: clients add it as a header, servers reject a call without it (or with
 * another) before any handler runs, so a rejected call touches no state.
 */
final class TokenAuth {
    private static final Logger LOG = LoggerFactory.getLogger(TokenAuth.class);
    static final Metadata.Key<String> HEADER = Metadata.Key.of("weft-token", Metadata.ASCII_STRING_MARSHALLER);

    private TokenAuth() {
    }

    static ClientInterceptor client(String token) {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        if (token != null) {
                            headers.put(HEADER, token);
                        }
                        super.start(listener, headers);
                    }
                };
            }
        };
    }

    static ServerInterceptor server(String token) {
        byte[] expected = token.getBytes(StandardCharsets.US_ASCII);
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                               ServerCallHandler<Q, R> next) {
                String given = headers.get(HEADER);
                if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
                    String why = given == null ? "no cluster token was presented" : "the cluster token is wrong";
                    LOG.warn("rejected {} from {}: {}", call.getMethodDescriptor().getFullMethodName(),
                            call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
                    call.close(Status.UNAUTHENTICATED.withDescription(why + " (the token is in the head's session "
                            + "directory, file '" + ClusterProtocol.TOKEN_FILE + "'; pass it as $" + ClusterProtocol.TOKEN_ENV
                            + " or --token)"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }
}

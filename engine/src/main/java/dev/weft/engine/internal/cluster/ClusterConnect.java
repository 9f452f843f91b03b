package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a participant reaches the cluster: the token it presents (config, environment, session directory), the address
 * it is reached at, and what a failed connection means in words (rejected token, no head, perhaps TLS).
 */
final class ClusterConnect {
    private ClusterConnect() {
    }

    static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("::1");
    }

    static String localHost() {
        try {
            return java.net.InetAddress.getLocalHost().getHostAddress();
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    static String token(WeftConfig config) {
        String t = config.property(ClusterProtocol.TOKEN_PROPERTY, null);
        if (t == null) {
            t = System.getenv(ClusterProtocol.TOKEN_ENV);
        }
        if (t == null) {
            String dir = config.property(ClusterProtocol.SESSION_DIR_PROPERTY, null);
            t = ClusterProtocol.readToken(dir == null ? ClusterProtocol.defaultSessionDir() : Path.of(dir));
        }
        return t;
    }

    static WeftException connectError(String address, StatusRuntimeException e) {
        return connectError(address, e, false);
    }

    /** {@code plaintext}: this participant has no TLS, so a head that wants TLS drops it without a word. */
    static WeftException connectError(String address, StatusRuntimeException e, boolean plaintext) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.UNAUTHENTICATED) {
            return new WeftException(ErrorType.USER_ERROR, "the cluster at " + address + " rejected this participant: "
                    + e.getStatus().getDescription(), e);
        }
        if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
            return new WeftException(ErrorType.SYSTEM_FAILURE, "no Weft head answers at " + address + " ("
                    + e.getStatus().getDescription() + ")" + (plaintext ? "; if the cluster uses TLS, give this "
                    + "participant its certificates (WEFT_TLS_CERT, WEFT_TLS_KEY, WEFT_TLS_CA or --tls-ca)" : ""), e);
        }
        return new WeftException(ErrorType.SYSTEM_FAILURE, "the cluster at " + address + " refused: "
                + code + " " + e.getStatus().getDescription(), e);
    }
}

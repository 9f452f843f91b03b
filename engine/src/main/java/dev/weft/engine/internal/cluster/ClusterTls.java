package dev.weft.engine.internal.cluster;

import dev.weft.api.WeftConfig;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS for a participant's gRPC, as Ray's {@code RAY_USE_TLS}: every participant of a TLS cluster (head, workers,
 * drivers, which serve objects too) serves with {@code cert}/{@code key} (PEM: a certificate chain, a PKCS#8
 * private key) and trusts {@code ca} (PEM; the certificate itself when it is self-signed). {@link #NONE}: plaintext.
 *
 * @param cert the certificate chain this participant presents (null: plaintext)
 * @param key  its private key
 * @param ca   the certificates this participant trusts (defaults to {@code cert})
 */
public record ClusterTls(Path cert, Path key, Path ca) {
    public static final ClusterTls NONE = new ClusterTls(null, null, null);
    /** Environment variables (and {@link WeftConfig} properties {@code tlsCert}, {@code tlsKey}, {@code tlsCa}). */
    public static final String CERT_ENV = "WEFT_TLS_CERT";
    public static final String KEY_ENV = "WEFT_TLS_KEY";
    public static final String CA_ENV = "WEFT_TLS_CA";

    public ClusterTls {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and its private key, got "
                    + (cert == null ? "only a key (" + key + ")" : "only a certificate (" + cert + ")"));
        }
        if (ca == null) {
            ca = cert;
        }
        for (Path p : new Path[] {cert, key, ca}) {
            if (p != null && !Files.isReadable(p)) {
                throw new IllegalArgumentException("TLS file " + p + " does not exist or cannot be read");
            }
        }
    }

    /** A client that only trusts {@code ca} (the CLI): it serves nothing. */
    public static ClusterTls trusting(Path ca) {
        return ca == null ? NONE : new ClusterTls(null, null, ca);
    }

    /** From the config's properties, else the environment; {@link #NONE} when neither names a certificate. */
    public static ClusterTls from(WeftConfig config) {
        return new ClusterTls(path(config, "tlsCert", CERT_ENV), path(config, "tlsKey", KEY_ENV),
                path(config, "tlsCa", CA_ENV));
    }

    /** From the environment only (the CLI's default). */
    public static ClusterTls fromEnvironment() {
        return new ClusterTls(env(CERT_ENV), env(KEY_ENV), env(CA_ENV));
    }

    private static Path path(WeftConfig config, String property, String env) {
        String v = config.property(property, null);
        return v != null ? Path.of(v) : env(env);
    }

    private static Path env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    public boolean enabled() {
        return ca != null;
    }

    /** The same certificates for a process this one starts (a job's driver), as environment variables. */
    void exportTo(java.util.Map<String, String> env) {
        if (cert != null) {
            env.put(CERT_ENV, cert.toAbsolutePath().toString());
            env.put(KEY_ENV, key.toAbsolutePath().toString());
        }
        if (ca != null) {
            env.put(CA_ENV, ca.toAbsolutePath().toString());
        }
    }

    NettyChannelBuilder secure(NettyChannelBuilder b) {
        if (!enabled()) {
            return b.usePlaintext();
        }
        try {
            return b.sslContext(GrpcSslContexts.forClient().trustManager(ca.toFile()).build());
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("TLS: the trusted certificates in " + ca + " cannot be used: " + e.getMessage(), e);
        }
    }

    NettyServerBuilder secure(NettyServerBuilder b) {
        if (cert == null) {
            return b;
        }
        try {
            return b.sslContext(GrpcSslContexts.forServer(cert.toFile(), key.toFile()).build());
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("TLS: the certificate " + cert + " with the key " + key
                    + " cannot be served: " + e.getMessage(), e);
        }
    }
}

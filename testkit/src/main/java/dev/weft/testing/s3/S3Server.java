package dev.weft.testing.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * An S3-compatible server (s3proxy) inside the JVM, on {@code 127.0.0.1} and a free port, for tests and
 * benchmarks that read or write {@code s3a://} URIs through Hadoop S3A or talk to S3 with the AWS SDK.
 *
 * <pre>{@code
 * try (S3Server s3 = S3Server.start("bucket")) {
 *     Map<String, String> conf = s3.hadoopConfiguration();   // fs.s3a.* settings for this server
 *     URI dir = s3.uri("bucket", "spill");                   // s3a://bucket/spill
 * }
 * }</pre>
 *
 * <p>Backends: <i>transient</i> (in heap memory, for small test data; the default) or <i>filesystem</i> (objects
 * are files under a directory, for large data and benchmarks). Thread-safe. The creator closes it; close is
 * idempotent and drops a transient backend's data.
 */
public final class S3Server implements AutoCloseable {
    /** The region S3A is told to use; s3proxy accepts any. */
    public static final String REGION = "us-east-1";

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final String accessKey;
    private final String secretKey;
    private final URI endpoint;
    private boolean closed;

    private S3Server(S3Proxy proxy, BlobStore blobStore, String accessKey, String secretKey) {
        this.proxy = proxy;
        this.blobStore = blobStore;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server with the in-memory backend and the given buckets. */
    public static S3Server start(String... buckets) {
        Builder b = builder();
        for (String bucket : buckets) {
            b.bucket(bucket);
        }
        return b.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** Creates a bucket (idempotent). */
    public void createBucket(String bucket) {
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    /** {@code s3a://bucket/prefix} (prefix may be empty). */
    public URI uri(String bucket, String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "" : (prefix.startsWith("/") ? prefix : "/" + prefix);
        return URI.create("s3a://" + bucket + p);
    }

    /**
     * Hadoop settings that point S3A at this server: endpoint, path-style access, no TLS, static keys, and few
     * retries so a test against a stopped server fails fast. Apply them to a {@code Configuration} with
     * {@code map.forEach(conf::set)}.
     */
    public Map<String, String> hadoopConfiguration() {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("fs.s3a.endpoint", endpoint.toString());
        conf.put("fs.s3a.endpoint.region", REGION);
        conf.put("fs.s3a.path.style.access", "true");
        conf.put("fs.s3a.connection.ssl.enabled", "false");
        conf.put("fs.s3a.access.key", accessKey);
        conf.put("fs.s3a.secret.key", secretKey);
        conf.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.put("fs.s3a.attempts.maximum", "2");
        conf.put("fs.s3a.retry.limit", "2");
        conf.put("fs.s3a.retry.interval", "50ms");
        return Map.copyOf(conf);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the S3 server on " + endpoint + " failed", e);
        } finally {
            blobStore.close();
        }
    }

    /** Configures and starts an {@link S3Server}. Not thread-safe. */
    public static final class Builder {
        private Path directory;
        private final List<String> buckets = new ArrayList<>();
        private String accessKey = "weft-access";
        private String secretKey = "weft-secret";

        private Builder() {
        }

        /** Keep objects as files under {@code directory} (created if missing) instead of in memory. */
        public Builder filesystem(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        public Builder bucket(String bucket) {
            if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("bucket must be an S3 bucket name (3..63 of [a-z0-9.-]), got '"
                        + bucket + "'");
            }
            buckets.add(bucket);
            return this;
        }

        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = Objects.requireNonNull(accessKey, "accessKey");
            this.secretKey = Objects.requireNonNull(secretKey, "secretKey");
            return this;
        }

        /** Starts the server; fails with {@link IllegalStateException} if it does not come up within 30 s. */
        public S3Server start() {
            BlobStore store;
            if (directory == null) {
                store = new TransientNio2BlobStore();
            } else {
                try {
                    Files.createDirectories(directory);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create S3 server directory " + directory, e);
                }
                store = new FilesystemNio2BlobStore(directory.toAbsolutePath().toString());
            }
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(store)
                    .endpoint(URI.create("http://127.0.0.1:0"))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .build();
            try {
                proxy.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!"STARTED".equals(proxy.getState())) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("S3 server did not start within 30 s (state " + proxy.getState() + ")");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } catch (Exception e) {
                store.close();
                throw e instanceof RuntimeException r ? r : new IllegalStateException("S3 server failed to start", e);
            }
            S3Server server = new S3Server(proxy, store, accessKey, secretKey);
            buckets.forEach(server::createBucket);
            return server;
        }
    }
}

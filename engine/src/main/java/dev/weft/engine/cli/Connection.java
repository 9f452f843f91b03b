package dev.weft.engine.cli;

import dev.weft.engine.internal.cluster.ClusterProtocol;
import dev.weft.engine.internal.cluster.ClusterTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to a running cluster shares: where it is and its token. */
final class Connection {
    @Option(names = "--address", description = "host:port of the head (default: the session directory's address file)")
    String address;

    @Option(names = "--token", description = "the cluster token (default: $WEFT_TOKEN, else the session directory's token file)")
    String token;

    @Option(names = "--tls-ca", description = "the certificate(s) to trust when the cluster uses TLS (default: $WEFT_TLS_CA)")
    Path tlsCa;

    @Option(names = "--session-dir", description = "the head's session directory (default: ${java.io.tmpdir}/weft-session)")
    Path sessionDir;

    ClusterTls tls() {
        return tlsCa != null ? ClusterTls.trusting(tlsCa) : ClusterTls.fromEnvironment();
    }

    Path sessionDir() {
        return sessionDir != null ? sessionDir : ClusterProtocol.defaultSessionDir();
    }

    String address() {
        if (address != null) {
            return address;
        }
        Path file = sessionDir().resolve(ClusterProtocol.ADDRESS_FILE);
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("no --address given and no head address in " + file
                    + " (start a head with 'weft start --head', or pass --address host:port)");
        }
    }

    String token() {
        if (token != null) {
            return token;
        }
        String env = System.getenv(ClusterProtocol.TOKEN_ENV);
        return env != null ? env : ClusterProtocol.readToken(sessionDir());
    }
}

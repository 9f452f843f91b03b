package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Constants and small rules every cluster participant shares: the protocol version, limits, tokens, addresses. */
public final class ClusterProtocol {
    /** Checked at registration of nodes and drivers; bump on any incompatible change of weft_cluster.proto. */
    public static final int VERSION = 1;
    /** Values below this travel inline with replies and requests; larger ones stay in the maker's store. */
    public static final int INLINE_LIMIT = 100 * 1024;
    /** The size of the chunks of an object pull. */
    public static final int CHUNK_BYTES = 1 << 20;
    /**
     * The HTTP/2 flow-control window of every connection and stream: with gRPC's 1 MiB default a 1 MiB chunk of a
     * pull filled the window, so each chunk waited for a window update before the next could go.
     */
    public static final int FLOW_WINDOW_BYTES = 16 << 20;
    /** The largest gRPC message a participant accepts (a chunk or a request with inline arguments). */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;
    /** The file in the session directory that holds the cluster token. */
    public static final String TOKEN_FILE = "token";
    /** The file in the session directory that holds the head's host:port. */
    public static final String ADDRESS_FILE = "address";
    /** The environment variable and config property a driver reads its token from. */
    public static final String TOKEN_ENV = "WEFT_TOKEN";
    public static final String TOKEN_PROPERTY = "token";
    /** The config property naming the session directory (default {@link #defaultSessionDir()}). */
    public static final String SESSION_DIR_PROPERTY = "sessionDir";

    private ClusterProtocol() {
    }

    /** A fresh random token (128 bits, hex). */
    public static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Where {@code weft start --head} writes its token and address unless told otherwise. */
    public static Path defaultSessionDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-session");
    }

    /** The token in {@code sessionDir}, or null when there is none. */
    public static String readToken(Path sessionDir) {
        Path file = sessionDir.resolve(TOKEN_FILE);
        try {
            return Files.isRegularFile(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses {@code host:port} or {@code weft://host:port}; fails naming the address when it is neither. */
    public static InetSocketAddress parseAddress(String address) {
        String a = address == null ? "" : address.trim();
        if (a.startsWith("weft://")) {
            a = a.substring("weft://".length());
        }
        int colon = a.lastIndexOf(':');
        if (colon <= 0 || colon == a.length() - 1) {
            throw new WeftException(ErrorType.USER_ERROR, "cluster address '" + address + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(a.substring(colon + 1));
            if (port <= 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(a.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new WeftException(ErrorType.USER_ERROR, "cluster address '" + address + "' has no valid port");
        }
    }

    /** Whether {@code address} looks like a cluster address (host:port or weft://host:port). */
    public static boolean isClusterAddress(String address) {
        if (address == null) {
            return false;
        }
        String a = address.trim();
        if (a.startsWith("weft://")) {
            return true;
        }
        int colon = a.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            Integer.parseInt(a.substring(colon + 1));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String hostPort(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }
}

package dev.weft.spark;

/**
 * A Spark master URL for Weft: {@code weft} (the Weft runtime already running in this JVM, else the one
 * {@code WEFT_ADDRESS} names, else a new embedded cluster) or {@code weft://host:port} (a Weft cluster's head).
 *
 * @param clusterAddress {@code weft://host:port}, or {@code null} for plain {@code weft}
 */
record WeftMasterUrl(String clusterAddress) {
    static final String SCHEME = "weft";

    /** Whether Spark should hand {@code url} to Weft: {@code weft} and every {@code weft:...} URL (bad ones fail in {@link #parse}). */
    static boolean claims(String url) {
        return url != null && (url.equals(SCHEME) || url.startsWith(SCHEME + ":"));
    }

    /** Parses a master URL; a malformed one fails naming the URL and the forms that are accepted. */
    static WeftMasterUrl parse(String url) {
        if (SCHEME.equals(url)) {
            return new WeftMasterUrl(null);
        }
        String prefix = SCHEME + "://";
        if (url == null || !url.startsWith(prefix)) {
            throw bad(url, "it does not start with " + prefix);
        }
        String hostPort = url.substring(prefix.length());
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || hostPort.contains("/")) {
            throw bad(url, "expected host:port after " + prefix);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw bad(url, "the port '" + hostPort.substring(colon + 1) + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw bad(url, "the port " + port + " is outside 1..65535");
        }
        return new WeftMasterUrl(url);
    }

    private static IllegalArgumentException bad(String url, String why) {
        return new IllegalArgumentException("Spark master URL '" + url + "' is not a Weft master URL (" + why
                + "); use 'weft' (the running, WEFT_ADDRESS or embedded Weft) or 'weft://host:port' (a Weft cluster)");
    }
}

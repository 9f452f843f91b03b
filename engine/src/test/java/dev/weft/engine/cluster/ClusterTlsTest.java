package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.ClusterAdmin;
import dev.weft.engine.internal.cluster.ClusterTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster whose gRPC runs over TLS ({@code --tls-cert}/{@code --tls-key}, a self-signed certificate made here
 * with the JDK's keytool): a driver with the certificates runs tasks on it, the CLI lists its nodes when it trusts
 * the certificate, and a plaintext driver or CLI fails with an error that says TLS may be why.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterTlsTest {
    static long twice(long x) {
        return 2 * x;
    }

    @Test
    void aTlsClusterServesDriversWithItsCertificateAndRefusesPlaintext() throws Exception {
        try (ClusterProcesses c = new ClusterProcesses()) {
            Path cert = c.session().resolve("cert.pem");
            Path key = c.session().resolve("key.pem");
            selfSigned(c.session(), cert, key);
            List<String> tls = List.of("--tls-cert", cert.toString(), "--tls-key", key.toString(),
                    "--session-dir", c.session().toString(), "--num-cpus", "1", "--object-store-bytes", "67108864");
            List<String> head = new java.util.ArrayList<>(List.of("start", "--head", "--port", "0"));
            head.addAll(tls);
            c.spawnReady("tls-head", head);
            String address = Files.readString(c.session().resolve("address")).trim();
            String token = Files.readString(c.session().resolve("token")).trim();
            List<String> worker = new java.util.ArrayList<>(List.of("start", "--address", address, "--token", token));
            worker.addAll(tls);
            c.spawnReady("tls-worker", worker);

            ClusterTls trusting = ClusterTls.trusting(cert);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ClusterAdmin.listNodes(address, token, trusting).stream().filter(n -> n.getAlive()).count() < 2) {
                assertTrue(System.nanoTime() < deadline, "two TLS nodes within 60 s");
                Thread.sleep(50);
            }

            WeftConfig secure = WeftConfig.builder().address(address).property("token", token)
                    .property("tlsCert", cert.toString()).property("tlsKey", key.toString()).build();
            try (Weft weft = Weft.init(secure)) {
                List<dev.weft.api.ObjectRef<Long>> refs = new java.util.ArrayList<>();
                for (long i = 0; i < 20; i++) {
                    refs.add(weft.task(ClusterTlsTest::twice, i).remote());
                }
                assertEquals(380L, weft.get(refs).stream().mapToLong(Long::longValue).sum());
                byte[] big = new byte[1 << 20]; // pulled by a node from the driver's object server, over TLS
                big[12345] = 7;
                assertEquals(7, weft.task(ClusterTlsTest::at, weft.put(big), 12345).remote().get());
            }

            WeftConfig plaintext = WeftConfig.builder().address(address).property("token", token).build();
            WeftException refused = assertThrows(WeftException.class, () -> Weft.init(plaintext).close());
            assertTrue(refused.getMessage().contains("if the cluster uses TLS"), refused.getMessage());
            WeftException cli = assertThrows(WeftException.class, () -> ClusterAdmin.listNodes(address, token, ClusterTls.NONE));
            assertTrue(cli.getMessage().contains("if the cluster uses TLS"), cli.getMessage());

            WeftConfig trustOnly = WeftConfig.builder().address(address).property("token", token)
                    .property("tlsCa", cert.toString()).build();
            WeftException noKey = assertThrows(WeftException.class, () -> Weft.init(trustOnly).close());
            assertTrue(noKey.getMessage().contains("needs a certificate and key too"), noKey.getMessage());
        }
    }

    static int at(byte[] bytes, int i) {
        return bytes[i];
    }

    /** A self-signed RSA certificate for 127.0.0.1 and localhost, by keytool, written as PEM with its PKCS#8 key. */
    static void selfSigned(Path dir, Path certPem, Path keyPem) throws Exception {
        Path store = dir.resolve("tls.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "weft", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool made the certificate: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        PrivateKey privateKey = (PrivateKey) ks.getKey("weft", "changeit".toCharArray());
        Files.writeString(certPem, pem("CERTIFICATE", ks.getCertificate("weft").getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

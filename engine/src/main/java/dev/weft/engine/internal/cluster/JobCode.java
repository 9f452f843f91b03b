package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A JVM's class path as content-addressed pieces: each jar by the SHA-256 of its bytes, each class folder as a
 * deterministic jar of its files. A driver serves the pieces ({@code code:manifest}, {@code code:<hash>} pulls);
 * a node caches them in a directory shared by the nodes of its machine and gives each job a class loader over
 * the pieces it does not already have on its own class path. Computed once per JVM; thread-safe.
 */
final class JobCode {
    /** The id a driver serves its manifest under. */
    static final String MANIFEST = "code:manifest";

    /** One piece: its hash and the file name it came from (for logs). */
    record Piece(String hash, String name) {
    }

    private static volatile JobCode local;

    private final Map<String, Path> files;      // hash -> a jar (a class folder is zipped to a temporary jar)
    private final List<Piece> pieces;

    private JobCode(Map<String, Path> files, List<Piece> pieces) {
        this.files = files;
        this.pieces = pieces;
    }

    /** This JVM's class path, hashed once. */
    static JobCode local() {
        JobCode c = local;
        if (c == null) {
            synchronized (JobCode.class) {
                c = local;
                if (c == null) {
                    c = local = scan(System.getProperty("java.class.path", ""));
                }
            }
        }
        return c;
    }

    private static JobCode scan(String classPath) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<Piece> pieces = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry);
            try {
                Path jar;
                if (Files.isDirectory(p)) {
                    jar = Files.createTempFile("weft-classes-", ".jar");
                    jar.toFile().deleteOnExit();
                    Files.write(jar, zip(p));
                } else if (Files.isRegularFile(p) && entry.endsWith(".jar")) {
                    jar = p;
                    if (isManifestOnly(p)) {
                        // a launcher's class-path jar (surefire's booter): its Class-Path entries are the real class path
                        JobCode inner = scan(manifestClassPath(p));
                        files.putAll(inner.files);
                        pieces.addAll(inner.pieces);
                        continue;
                    }
                } else {
                    continue;
                }
                String hash = jar == p ? cachedSha256(p) : sha256(jar);
                if (files.putIfAbsent(hash, jar) == null) {
                    pieces.add(new Piece(hash, p.getFileName().toString()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("class path entry " + p + " cannot be read", e);
            }
        }
        return new JobCode(files, List.copyOf(pieces));
    }

    private static boolean isManifestOnly(Path jar) throws IOException {
        try (var j = new java.util.jar.JarFile(jar.toFile())) {
            var m = j.getManifest();
            return m != null && m.getMainAttributes().getValue("Class-Path") != null && j.stream().noneMatch(
                    e -> e.getName().endsWith(".class"));
        }
    }

    private static String manifestClassPath(Path jar) throws IOException {
        try (var j = new java.util.jar.JarFile(jar.toFile())) {
            String cp = j.getManifest().getMainAttributes().getValue("Class-Path");
            List<String> out = new ArrayList<>();
            for (String u : cp.trim().split("\\s+")) {
                try {
                    out.add(Path.of(jar.getParent().toUri().resolve(u)).toString());
                } catch (RuntimeException e) {
                    // not a file URL: not something a node could load either
                }
            }
            return String.join(File.pathSeparator, out);
        }
    }

    private static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace(File.separatorChar, '/'));
                e.setTime(0); // the same folder gives the same bytes, so the same hash
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /**
     * The hash of a jar, remembered on disk by path, size and modification time: every JVM of a machine (nodes,
     * drivers) hashes the same large jars, and reading them all each time costs seconds.
     */
    static String cachedSha256(Path jar) throws IOException {
        var attrs = Files.readAttributes(jar, java.nio.file.attribute.BasicFileAttributes.class);
        String key = jar.toAbsolutePath() + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis();
        Path index = cacheDir().resolve("hashes");
        Path entry = index.resolve(Integer.toHexString(key.hashCode()) + "-" + jar.getFileName());
        try {
            if (Files.exists(entry)) {
                String[] kv = Files.readString(entry).split("\n", 2);
                if (kv.length == 2 && kv[0].equals(key)) {
                    return kv[1].trim();
                }
            }
        } catch (IOException e) {
            // recompute below
        }
        String hash = sha256(jar);
        try {
            Files.createDirectories(index);
            Path tmp = Files.createTempFile(index, "h", ".part");
            Files.writeString(tmp, key + "\n" + hash);
            Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // an unwritable cache only costs the next JVM the hashing
        }
        return hash;
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                    d.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Piece> pieces() {
        return pieces;
    }

    Set<String> hashes() {
        return files.keySet();
    }

    /** The bytes of piece {@code hash}; fails naming it when this JVM has no such piece. */
    byte[] bytes(String hash) {
        Path p = files.get(hash);
        if (p == null) {
            throw new WeftException(ErrorType.USER_ERROR, "no class path piece " + hash + " here");
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest as a driver serves it: "hash name" lines. */
    byte[] manifest() {
        return pieces.stream().map(p -> p.hash() + " " + p.name()).collect(Collectors.joining("\n"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static List<Piece> parseManifest(byte[] bytes) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        List<Piece> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                out.add(new Piece(line.substring(0, space), line.substring(space + 1)));
            }
        }
        return out;
    }

    /** Where a node keeps pieces it received, shared by the nodes of this machine. */
    static Path cacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-code-cache");
    }

    /** Stores {@code bytes} as piece {@code hash} in {@code dir} (written aside, then moved: readers never see half). */
    static Path store(Path dir, String hash, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(hash + ".jar");
        if (Files.exists(target)) {
            return target;
        }
        Path tmp = Files.createTempFile(dir, hash, ".part");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }
}

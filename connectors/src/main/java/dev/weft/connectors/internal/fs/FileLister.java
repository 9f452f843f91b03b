package dev.weft.connectors.internal.fs;

import dev.weft.connectors.InputNotFoundException;
import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;

/**
 * Expands read paths (files, directories, globs) into data files through Hadoop {@link FileSystem}s. Directories
 * are walked recursively; names starting with {@code .} or {@code _} (such as {@code _SUCCESS},
 * {@code _temporary}, {@code .crc}) are skipped unless they are {@code key=value} partition directories.
 */
public final class FileLister {
    private FileLister() {}

    private static final PathFilter VISIBLE = p -> isVisible(p.getName());

    static boolean isVisible(String name) {
        if (name.startsWith(".")) {
            return false;
        }
        return !name.startsWith("_") || name.contains("=");
    }

    static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /**
     * Lists the data files under {@code paths}, sorted per path, each with the partition values found between its
     * root (the directory given, or the part of a glob before its first wildcard) and the file.
     *
     * @param accept further file-name filter (e.g. an extension), applied to files found in directories only
     */
    public static List<InputFile> list(List<String> paths, Configuration conf, Predicate<String> accept) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths: at least one path is required");
        }
        List<InputFile> out = new ArrayList<>();
        for (String p : paths) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("paths: empty path in " + paths);
            }
            try {
                listOne(p, conf, accept, out);
            } catch (IOException e) {
                throw new WeftException(ErrorType.USER_ERROR, "cannot list " + p + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void listOne(String p, Configuration conf, Predicate<String> accept, List<InputFile> out)
            throws IOException {
        Path path = new Path(p);
        FileSystem fs = path.getFileSystem(conf);
        List<InputFile> found = new ArrayList<>();
        if (hasGlob(p)) {
            FileStatus[] matches = fs.globStatus(path, VISIBLE);
            if (matches == null || matches.length == 0) {
                throw new InputNotFoundException(p, "no file matches the glob " + p);
            }
            Path root = fs.makeQualified(globRoot(path));
            for (FileStatus st : matches) {
                if (st.isDirectory()) {
                    walk(fs, st.getPath(), root, accept, found);
                } else {
                    found.add(file(st, root));
                }
            }
        } else {
            FileStatus st;
            try {
                st = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new InputNotFoundException(p, "path does not exist: " + p);
            }
            if (st.isDirectory()) {
                walk(fs, st.getPath(), st.getPath(), accept, found);
                if (found.isEmpty()) {
                    throw new InputNotFoundException(p, "directory " + p + " contains no data files");
                }
            } else {
                found.add(file(st, st.getPath().getParent()));
            }
        }
        found.sort(Comparator.comparing(InputFile::path));
        out.addAll(found);
    }

    private static Path globRoot(Path glob) {
        Path p = glob;
        Path root = glob.getParent();
        while (p != null) {
            if (hasGlob(p.getName())) {
                root = p.getParent();
            }
            p = p.getParent();
        }
        return root == null ? glob : root;
    }

    private static void walk(FileSystem fs, Path dir, Path root, Predicate<String> accept, List<InputFile> out)
            throws IOException {
        FileStatus[] children;
        try {
            children = fs.listStatus(dir, VISIBLE);
        } catch (FileNotFoundException e) {
            throw new InputNotFoundException(dir.toString(), "directory vanished while listing: " + dir);
        }
        for (FileStatus c : children) {
            if (c.isDirectory()) {
                walk(fs, c.getPath(), root, accept, out);
            } else if (accept.test(c.getPath().getName())) {
                out.add(file(c, root));
            }
        }
    }

    private static InputFile file(FileStatus st, Path root) {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        URI rootUri = root.toUri();
        String rootPath = rootUri.getPath().endsWith("/") ? rootUri.getPath() : rootUri.getPath() + "/";
        String filePath = st.getPath().toUri().getPath();
        if (filePath.startsWith(rootPath)) {
            String[] segments = filePath.substring(rootPath.length()).split("/");
            for (int i = 0; i < segments.length - 1; i++) {
                int eq = segments[i].indexOf('=');
                if (eq > 0) {
                    keys.add(unescape(segments[i].substring(0, eq)));
                    values.add(unescape(segments[i].substring(eq + 1)));
                }
            }
        }
        return new InputFile(st.getPath().toString(), st.getLen(), keys, values);
    }

    /** Undoes Hive's {@code %XX} escaping of partition directory names. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}

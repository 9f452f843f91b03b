package dev.weft.connectors.internal.text;

import dev.weft.connectors.FileReadException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Opens a text file through Hadoop, decompressing by extension ({@code .gz}, {@code .bz2}, {@code .zst}, ...). */
public final class TextInput {
    private TextInput() {}

    public static InputStream open(String path, Configuration conf) {
        return open(path, conf, true);
    }

    /** Opens the file's bytes as stored. */
    public static InputStream openRaw(String path, Configuration conf) {
        return open(path, conf, false);
    }

    private static InputStream open(String path, Configuration conf, boolean decompress) {
        Path p = new Path(path);
        try {
            InputStream in = p.getFileSystem(conf).open(p);
            CompressionCodec codec = decompress ? new CompressionCodecFactory(conf).getCodec(p) : null;
            return codec == null ? in : codec.createInputStream(in);
        } catch (FileNotFoundException e) {
            throw new FileReadException(path, "", "file vanished after listing", e);
        } catch (IOException | RuntimeException e) {
            String what = e instanceof java.nio.file.AccessDeniedException
                    || e instanceof org.apache.hadoop.security.AccessControlException
                    || String.valueOf(e.getMessage()).contains("Permission denied")
                    ? "file is not readable" : "cannot open";
            throw new FileReadException(path, "", what + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }
}

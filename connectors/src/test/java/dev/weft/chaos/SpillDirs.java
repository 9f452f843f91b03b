package dev.weft.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Turns a spill directory read-only and back. Permissions alone do not stop root, so where {@code chattr} works
 * the directory is also made immutable: files in it stay readable, no file can be added or removed.
 */
final class SpillDirs {
    private SpillDirs() {
    }

    static void makeReadOnly(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + dir + " read-only", e);
        }
        chattr("+i", dir);
    }

    static void makeWritable(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        chattr("-i", dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make " + dir + " writable again", e);
        }
    }

    private static void chattr(String flag, Path dir) {
        try {
            Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no chattr here: permissions are all there is (enough for a user other than root)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.weft.spill;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local directory: writes through a {@link FileChannel} straight from off-heap memory and forces to disk on commit. */
final class LocalSpillTarget implements SpillTarget {
    /** Large single writes cost a page-cache copy each; 8 MiB slices keep the kernel busy without huge pinned ranges. */
    private static final int IO_SLICE = 8 << 20;
    /** Reads go in 1 MiB slices so a checksum over each slice finds it in cache. */
    private static final int READ_SLICE = 1 << 20;
    /** One read channel per file: positional reads on a FileChannel are thread-safe, and opening costs a syscall pair. */
    private final java.util.concurrent.ConcurrentHashMap<String, FileChannel> readers = new java.util.concurrent.ConcurrentHashMap<>();

    private final URI uri;
    private final Path directory;

    LocalSpillTarget(URI uri, Path directory) {
        this.uri = uri;
        this.directory = directory;
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String describe(String name) {
        return directory.resolve(name).toString();
    }

    @Override
    public void checkWritable() throws IOException {
        Files.createDirectories(directory);
        Path probe = directory.resolve(".weft-probe-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}));
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Override
    public SpillWriter create(String name) throws IOException {
        Path file = directory.resolve(name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new Writer(file, channel);
    }

    @Override
    public void read(String name, long offset, MemorySegment target, SliceConsumer onSlice) throws IOException {
        Path file = directory.resolve(name);
        FileChannel ch = readers.get(name);
        if (ch == null) {
            FileChannel opened = FileChannel.open(file, StandardOpenOption.READ);
            ch = readers.putIfAbsent(name, opened);
            if (ch == null) {
                ch = opened;
            } else {
                opened.close();
            }
        }
        long done = 0;
        long size = target.byteSize();
        while (done < size) {
            int len = (int) Math.min(READ_SLICE, size - done);
            MemorySegment slice = target.asSlice(done, len);
            ByteBuffer dst = slice.asByteBuffer();
            while (dst.hasRemaining()) {
                int n = ch.read(dst, offset + done + dst.position());
                if (n < 0) {
                    throw new EOFException("spill file " + file + " ends at " + ch.size() + ", wanted "
                            + size + " bytes at offset " + offset);
                }
            }
            onSlice.accept(slice);
            done += len;
        }
    }

    @Override
    public void delete(String name) throws IOException {
        FileChannel ch = readers.remove(name);
        if (ch != null) {
            ch.close();
        }
        Files.deleteIfExists(directory.resolve(name));
    }

    @Override
    public void close() throws IOException {
        for (FileChannel ch : readers.values()) {
            ch.close();
        }
        readers.clear();
    }

    private static final class Writer implements PatchableSpillWriter {
        private final Path file;
        private final FileChannel channel;
        private long position;
        private boolean done;

        Writer(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public void write(MemorySegment source) throws IOException {
            long size = source.byteSize();
            long off = 0;
            while (off < size) {
                int len = (int) Math.min(IO_SLICE, size - off);
                ByteBuffer src = source.asSlice(off, len).asByteBuffer();
                while (src.hasRemaining()) {
                    channel.write(src);
                }
                off += len;
            }
            position += size;
        }

        @Override
        public void patch(long at, MemorySegment bytes) throws IOException {
            ByteBuffer src = bytes.asByteBuffer();
            while (src.hasRemaining()) {
                channel.write(src, at + src.position());
            }
        }

        @Override
        public void commit() throws IOException {
            try {
                channel.force(false);
            } finally {
                channel.close();
            }
            done = true;
        }

        @Override
        public void abort() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // The delete below is what matters.
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // Best effort: the store deletes its files again on close.
            }
        }
    }
}

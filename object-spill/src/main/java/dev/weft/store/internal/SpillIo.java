package dev.weft.store.internal;

import dev.weft.spill.PatchableSpillWriter;
import dev.weft.spill.SpillRecordFormat;
import dev.weft.spill.SpillTarget;
import dev.weft.spill.SpillWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The I/O of spilling and restoring, without store state: writes a batch of objects as one fused spill file and
 * reads one record back, verifying it. Runs without the store lock.
 */
final class SpillIo {
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[8]);
    /** Placeholder for a record header (32 bytes plus an id of at most 1,024 characters, 4 UTF-8 bytes each). */
    private static final MemorySegment ZEROS_HEADER = MemorySegment.ofArray(new byte[32 + 4 * 1024 + 8]);
    private static final long SLICE = 1 << 20;

    private SpillIo() {
    }

    /**
     * Writes {@code batch} to a new file {@code name} on {@code target}, committed (closed and forced) before
     * return. Record offsets go into {@code offsets}. On failure the partial file is removed and the exception
     * propagates; the objects are untouched.
     *
     * @return the file's length
     */
    static long writeFile(SpillTarget target, String name, List<StoredObject> batch, long[] offsets) throws IOException {
        SpillWriter writer = target.create(name);
        try {
            writer.write(MemorySegment.ofBuffer(SpillRecordFormat.fileHeader()));
            for (int i = 0; i < batch.size(); i++) {
                StoredObject o = batch.get(i);
                MemorySegment data = o.segment();
                offsets[i] = writer.position();
                if (writer instanceof PatchableSpillWriter patchable) {
                    // Checksum each slice right after writing it (still in cache), then fill in the header.
                    long headerLength = SpillRecordFormat.headerLength(o.id.value());
                    writer.write(ZEROS_HEADER.asSlice(0, headerLength));
                    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                    for (long off = 0; off < o.size; off += SLICE) {
                        MemorySegment slice = data.asSlice(off, Math.min(SLICE, o.size - off));
                        writer.write(slice);
                        crc.update(slice.asByteBuffer());
                    }
                    patchable.patch(offsets[i], MemorySegment.ofBuffer(SpillRecordFormat.recordHeader(
                            o.id.value(), o.encoding.code(), o.size, (int) crc.getValue())));
                } else {
                    int crc = SpillRecordFormat.crc32c(data);
                    writer.write(MemorySegment.ofBuffer(
                            SpillRecordFormat.recordHeader(o.id.value(), o.encoding.code(), o.size, crc)));
                    writer.write(data);
                }
                long pad = SpillRecordFormat.align8(o.size) - o.size;
                if (pad > 0) {
                    writer.write(ZEROS.asSlice(0, pad));
                }
            }
            long length = writer.position();
            writer.commit();
            return length;
        } catch (IOException | RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    /**
     * Reads the record of {@code o} at {@code offset} of {@code file} into {@code target} (exactly {@code o.size}
     * bytes), checking the header names this object and, if asked, the data checksum.
     *
     * @throws IOException naming file and offset when the record is missing, short or corrupt
     */
    static void readRecord(SpillFile file, long offset, StoredObject o, MemorySegment target, boolean verify)
            throws IOException {
        String where = file.describe();
        long headerLength = SpillRecordFormat.headerLength(o.id.value());
        // On the heap, not in a confined arena: another restoring thread may fill it (SequentialFileReader).
        MemorySegment header = MemorySegment.ofArray(new byte[(int) headerLength]);
        // Header and data in one request (one sequential read on object stores); the header is checked
        // after the data arrived, which costs nothing when it is right and only wasted bytes when it is not.
        java.util.zip.CRC32C crc32c = verify ? new java.util.zip.CRC32C() : null;
        file.target.readRecord(file.name, offset, header, target,
                verify ? slice -> crc32c.update(slice.asByteBuffer()) : slice -> { });
        SpillRecordFormat.Header h = SpillRecordFormat.verifyHeader(header, o.id.value(), o.size, where, offset);
        if (verify && (int) crc32c.getValue() != h.dataCrc()) {
            throw new IOException("spill file " + where + " offset " + offset + ": data checksum mismatch for "
                    + o.size + " bytes of object " + o.id);
        }
    }
}

package dev.weft.spill;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The layout of spill files. A file is a 16-byte file header followed by records, each 8-byte aligned:
 *
 * <pre>
 * file header : "WEFTSPL1" (8 bytes) | version int32 = 1 | reserved int32
 * record      : magic int32 "WFOB" | idLength int32 | dataLength int64 | dataCrc32c int32 | tag int8 | pad[3]
 *               | headerCrc32c int32 (over the 24 bytes before it and the id) | pad[4] | id UTF-8, padded to 8 | data, padded to 8
 * </pre>
 *
 * All integers little-endian. The store keeps every record's offset in memory, so files have no index; the
 * header lets a restore prove it read the right record, whole and unchanged.
 */
public final class SpillRecordFormat {
    public static final int FILE_HEADER_BYTES = 16;
    public static final int RECORD_HEADER_BYTES = 32;
    private static final long FILE_MAGIC = 0x314C505354464557L; // "WEFTSPL1" little-endian
    private static final int RECORD_MAGIC = 0x424F4657; // "WFOB" little-endian

    private SpillRecordFormat() {
    }

    public static ByteBuffer fileHeader() {
        ByteBuffer b = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(FILE_MAGIC).putInt(1).putInt(0).flip();
        return b;
    }

    /** Bytes before the data of a record for this id (header plus padded id). */
    public static long headerLength(String id) {
        return RECORD_HEADER_BYTES + align8(id.getBytes(StandardCharsets.UTF_8).length);
    }

    /** Total bytes of a record (header, id, data, padding). */
    public static long recordLength(String id, long dataLength) {
        return headerLength(id) + align8(dataLength);
    }

    public static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /** CRC32C of a segment (hardware-accelerated for off-heap memory). */
    public static int crc32c(MemorySegment data) {
        CRC32C crc = new CRC32C();
        long size = data.byteSize();
        long off = 0;
        while (off < size) {
            int len = (int) Math.min(Integer.MAX_VALUE - 8, size - off);
            crc.update(data.asSlice(off, len).asByteBuffer());
            off += len;
        }
        return (int) crc.getValue();
    }

    /** The record header (with id and its padding) for an object; the data and its padding follow it. */
    public static ByteBuffer recordHeader(String id, byte tag, long dataLength, int dataCrc) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate((int) headerLength(id)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(RECORD_MAGIC).putInt(idBytes.length).putLong(dataLength).putInt(dataCrc).put(tag).put(new byte[3]);
        CRC32C hc = new CRC32C();
        hc.update(b.array(), 0, 24);
        hc.update(idBytes);
        b.putInt((int) hc.getValue()).putInt(0).put(idBytes);
        b.position(b.capacity()).flip();
        return b;
    }

    /** What a verified record header says. */
    public record Header(String id, byte tag, long dataLength, int dataCrc) {
    }

    /**
     * Parses and checks a record header read from a file.
     *
     * @throws IOException naming the file and offset if the header is not the expected object's
     */
    public static Header verifyHeader(MemorySegment header, String expectedId, long expectedLength, String file,
                                      long offset) throws IOException {
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        ValueLayout.OfLong i64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        int magic = header.get(i32, 0);
        if (magic != RECORD_MAGIC) {
            throw new IOException("spill file " + file + " offset " + offset + ": bad record magic 0x"
                    + Integer.toHexString(magic));
        }
        int idLength = header.get(i32, 4);
        long dataLength = header.get(i64, 8);
        int dataCrc = header.get(i32, 16);
        byte tag = header.get(ValueLayout.JAVA_BYTE, 20);
        int headerCrc = header.get(i32, 24);
        if (idLength < 0 || RECORD_HEADER_BYTES + idLength > header.byteSize()) {
            throw new IOException("spill file " + file + " offset " + offset + ": bad id length " + idLength);
        }
        byte[] idBytes = header.asSlice(RECORD_HEADER_BYTES, idLength).toArray(ValueLayout.JAVA_BYTE);
        CRC32C hc = new CRC32C();
        hc.update(header.asSlice(0, 24).toArray(ValueLayout.JAVA_BYTE));
        hc.update(idBytes);
        if ((int) hc.getValue() != headerCrc) {
            throw new IOException("spill file " + file + " offset " + offset + ": record header checksum mismatch");
        }
        String id = new String(idBytes, StandardCharsets.UTF_8);
        if (!id.equals(expectedId) || dataLength != expectedLength) {
            throw new IOException("spill file " + file + " offset " + offset + ": holds object " + id + " of "
                    + dataLength + " bytes, expected " + expectedId + " of " + expectedLength + " bytes");
        }
        return new Header(id, tag, dataLength, dataCrc);
    }
}

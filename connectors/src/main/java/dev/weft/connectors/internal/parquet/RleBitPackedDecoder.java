package dev.weft.connectors.internal.parquet;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Bulk decoder of Parquet's RLE/bit-packed hybrid encoding (definition levels, dictionary ids). Repeated runs are
 * filled with {@link Arrays#fill}, bit-packed groups are unpacked eight at a time by parquet-mr's packers; no
 * per-value virtual call. Not thread-safe.
 */
final class RleBitPackedDecoder {
    private final ByteBuffer in;
    private final int end;
    private final int bitWidth;
    private final int bytesWidth;
    private final BytePacker packer;
    private int pos;
    private int rleLeft;
    private int rleValue;
    private int packedLeft;
    private final int[] group = new int[8];
    private int groupPos = 8;
    private final byte[] tail;

    /** Decodes {@code in[start, end)} with values of {@code bitWidth} bits. */
    RleBitPackedDecoder(ByteBuffer in, int start, int end, int bitWidth) {
        if (bitWidth < 0 || bitWidth > 32) {
            throw new ParquetDecodingException("invalid RLE bit width " + bitWidth);
        }
        this.in = in;
        this.pos = start;
        this.end = end;
        this.bitWidth = bitWidth;
        this.bytesWidth = (bitWidth + 7) / 8;
        this.packer = Packer.LITTLE_ENDIAN.newBytePacker(bitWidth);
        this.tail = new byte[Math.max(bitWidth, 1)];
    }

    /** Reads {@code n} values into {@code out[off, off + n)}. */
    void read(int[] out, int off, int n) {
        while (n > 0) {
            if (rleLeft == 0 && packedLeft == 0) {
                readHeader();
            }
            if (rleLeft > 0) {
                int k = Math.min(n, rleLeft);
                Arrays.fill(out, off, off + k, rleValue);
                rleLeft -= k;
                off += k;
                n -= k;
                continue;
            }
            // Bit-packed run: drain the current group first, then whole groups straight into out.
            if (groupPos < 8) {
                int k = Math.min(Math.min(n, 8 - groupPos), packedLeft);
                System.arraycopy(group, groupPos, out, off, k);
                groupPos += k;
                packedLeft -= k;
                off += k;
                n -= k;
                continue;
            }
            if (n >= 8 && packedLeft >= 8 && pos + bitWidth <= end) {
                packer.unpack8Values(in, pos, out, off);
                pos += bitWidth;
                packedLeft -= 8;
                off += 8;
                n -= 8;
                continue;
            }
            unpackGroup();
        }
    }

    /** Reads one value. */
    int next() {
        if (rleLeft == 0 && packedLeft == 0) {
            readHeader();
        }
        if (rleLeft > 0) {
            rleLeft--;
            return rleValue;
        }
        if (groupPos == 8) {
            unpackGroup();
        }
        packedLeft--;
        return group[groupPos++];
    }

    private void unpackGroup() {
        if (pos + bitWidth <= end) {
            packer.unpack8Values(in, pos, group, 0);
        } else {
            // The last group of a page may be cut short; unpack from a zero-padded copy.
            Arrays.fill(tail, (byte) 0);
            for (int i = 0; pos + i < end; i++) {
                tail[i] = in.get(pos + i);
            }
            packer.unpack8Values(tail, 0, group, 0);
        }
        pos += bitWidth;
        groupPos = 0;
    }

    private void readHeader() {
        int header = readUnsignedVarInt();
        if ((header & 1) == 0) {
            rleLeft = header >>> 1;
            int v = 0;
            for (int i = 0; i < bytesWidth; i++) {
                v |= (in.get(pos++) & 0xFF) << (8 * i);
            }
            rleValue = v;
            if (rleLeft == 0) {
                throw new ParquetDecodingException("empty RLE run at byte " + pos);
            }
        } else {
            packedLeft = (header >>> 1) * 8;
            groupPos = 8;
            if (packedLeft == 0) {
                throw new ParquetDecodingException("empty bit-packed run at byte " + pos);
            }
        }
    }

    private int readUnsignedVarInt() {
        int value = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw new ParquetDecodingException("RLE/bit-packed data ends early at byte " + pos);
            }
            int b = in.get(pos++) & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
            shift += 7;
            if (shift > 28) {
                throw new ParquetDecodingException("malformed varint at byte " + pos);
            }
        }
    }
}

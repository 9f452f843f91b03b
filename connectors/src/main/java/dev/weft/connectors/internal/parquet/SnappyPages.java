package dev.weft.connectors.internal.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ParquetDecodingException;
import org.xerial.snappy.Snappy;

/**
 * Snappy pages decompressed by one native call from the column chunk's array into a page array, instead of through
 * parquet-mr's stream decompressor, which copies the compressed page into a heap buffer, then into a direct buffer,
 * decompresses into another direct buffer and copies that out again: three copies of every byte a scan reads.
 *
 * <p>{@link Codecs} is the codec factory of one file reader: it hands parquet-mr a snappy "decompressor" that
 * returns the page as it is and remembers it; {@link SnappyPages} wraps a column's page reader and decompresses
 * the page it gets back. Data pages decompress into one array reused from page to page (a decoder finishes a page
 * before it reads the next: {@link ColumnChunkDecoder} holds the same contract for its own page array); a
 * dictionary page gets its own array, as a decoded dictionary may point into it. Not thread-safe (one reader per
 * task).
 */
final class SnappyPages implements PageReader {
    private final PageReader pages;
    private final Codecs codecs;
    private byte[] page = new byte[0];
    /** The data bytes {@link #readPage} returned last, over {@link #page}. */
    private BytesInput last;

    SnappyPages(PageReader pages, Codecs codecs) {
        this.pages = pages;
        this.codecs = codecs;
    }

    @Override
    public DictionaryPage readDictionaryPage() {
        DictionaryPage d = pages.readDictionaryPage();
        if (d == null) {
            return null;
        }
        int size = codecs.take(d.getBytes());
        if (size < 0) {
            return d;
        }
        byte[] out = new byte[size];
        decompress(d.getBytes(), out, size, "dictionary page");
        return new DictionaryPage(BytesInput.from(out), d.getDictionarySize(), d.getEncoding());
    }

    @Override
    public long getTotalValueCount() {
        return pages.getTotalValueCount();
    }

    @Override
    public DataPage readPage() {
        DataPage p = pages.readPage();
        if (p instanceof DataPageV1 v1) {
            int size = codecs.take(v1.getBytes());
            if (size < 0) {
                return p;
            }
            BytesInput data = decompressed(v1.getBytes(), size);
            return new DataPageV1(data, v1.getValueCount(), size, v1.getStatistics(), v1.getRlEncoding(),
                    v1.getDlEncoding(), v1.getValueEncoding());
        }
        if (p instanceof DataPageV2 v2) {
            int size = codecs.take(v2.getData());
            if (size < 0) {
                return p;
            }
            BytesInput data = decompressed(v2.getData(), size);
            return DataPageV2.uncompressed(v2.getRowCount(), v2.getNullCount(), v2.getValueCount(),
                    v2.getRepetitionLevels(), v2.getDefinitionLevels(), v2.getDataEncoding(), data,
                    v2.getStatistics());
        }
        return p;
    }

    /**
     * Whether {@code bytes} are the page this reader decompressed last, in its page array: a decoder reads them in
     * place. Never reads {@code bytes} (another page's may be a stream, readable once).
     */
    boolean owns(BytesInput bytes) {
        return bytes != null && bytes == last;
    }

    private BytesInput decompressed(BytesInput compressed, int size) {
        if (page.length < size) {
            page = new byte[Math.max(size, (int) Math.min(Integer.MAX_VALUE - 8, 2L * page.length))];
        }
        decompress(compressed, page, size, "data page");
        last = BytesInput.from(page, 0, size);
        return last;
    }

    private static void decompress(BytesInput compressed, byte[] out, int size, String what) {
        try {
            ByteBuffer in = compressed.toByteBuffer();
            int n;
            if (in.hasArray()) {
                n = Snappy.uncompress(in.array(), in.arrayOffset() + in.position(), in.remaining(), out, 0);
            } else {
                byte[] copy = new byte[in.remaining()];
                in.duplicate().get(copy);
                n = Snappy.uncompress(copy, 0, copy.length, out, 0);
            }
            if (n != size) {
                throw new ParquetDecodingException("snappy " + what + " decompressed to " + n + " bytes, its header says "
                        + size);
            }
        } catch (IOException e) {
            throw new ParquetDecodingException("snappy " + what + " cannot be decompressed: " + e.getMessage(), e);
        }
    }

    /**
     * The codecs of one file reader: parquet-mr's, except that snappy pages pass through compressed for
     * {@link SnappyPages} to decompress.
     */
    static final class Codecs implements CompressionCodecFactory {
        private final CompressionCodecFactory delegate;
        private BytesInput passed;
        private int passedSize;

        private final BytesInputDecompressor passThrough = new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
                passed = bytes;
                passedSize = uncompressedSize;
                return bytes;
            }

            @Override
            public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                    throws IOException {
                // parquet-mr's direct-buffer path (a direct allocator): decompress for real.
                ByteBuffer in = input.duplicate();
                in.limit(in.position() + compressedSize);
                int n;
                if (in.isDirect() && output.isDirect()) {
                    n = Snappy.uncompress(in, output.duplicate());
                } else {
                    byte[] src = new byte[compressedSize];
                    in.get(src);
                    byte[] dst = new byte[uncompressedSize];
                    n = Snappy.uncompress(src, 0, src.length, dst, 0);
                    output.duplicate().put(dst, 0, n);
                }
                if (n != uncompressedSize) {
                    throw new IOException("snappy page decompressed to " + n + " bytes, its header says "
                            + uncompressedSize);
                }
            }

            @Override
            public void release() {
            }
        };

        Codecs(CompressionCodecFactory delegate) {
            this.delegate = delegate;
        }

        /** The uncompressed size of {@code bytes} if they are the snappy page passed through last, else -1. */
        int take(BytesInput bytes) {
            if (passed == null || bytes != passed) {
                return -1;
            }
            passed = null;
            return passedSize;
        }

        @Override
        public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return delegate.getCompressor(codec);
        }

        @Override
        public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            return codec == CompressionCodecName.SNAPPY ? passThrough : delegate.getDecompressor(codec);
        }

        @Override
        public void release() {
            delegate.release();
        }
    }
}

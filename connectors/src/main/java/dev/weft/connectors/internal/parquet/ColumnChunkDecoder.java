package dev.weft.connectors.internal.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.io.ParquetDecodingException;

/**
 * Decodes one flat column chunk page by page straight into Arrow vectors. The page walk, definition levels and
 * the choice of value source live here; subclasses copy values of one physical type into one vector kind.
 *
 * <p>Three value sources: PLAIN pages read by the subclass from the page buffer (bulk copies for fixed-width
 * types), dictionary pages as bulk-decoded ids gathered from the decoded dictionary, and every other encoding
 * through parquet-mr's own {@link ValuesReader}. Runs of non-null values are handed to the subclass in one call,
 * so a required or null-free column costs one bulk copy per page. Not thread-safe; one instance per column chunk.
 */
abstract class ColumnChunkDecoder {
    enum Mode { PLAIN, DICTIONARY, READER }

    final ColumnDescriptor descriptor;
    private final PageReader pages;
    private final int maxDef;
    private final int levelBitWidth;
    private int[] levels = new int[0];
    private RleBitPackedDecoder levelDecoder;
    private int pageLeft;

    Mode mode;
    /** Page bytes in little-endian order and the read position, for {@link Mode#PLAIN}. */
    ByteBuffer page;
    int pos;
    /** Dictionary ids of the current page, for {@link Mode#DICTIONARY}. */
    RleBitPackedDecoder ids;
    int[] idScratch = new int[0];
    /** Values of the current page, for {@link Mode#READER}. */
    ValuesReader reader;
    Dictionary dictionary;

    ColumnChunkDecoder(ColumnDescriptor descriptor, PageReader pages) {
        this.descriptor = descriptor;
        this.pages = pages;
        this.maxDef = descriptor.getMaxDefinitionLevel();
        this.levelBitWidth = 32 - Integer.numberOfLeadingZeros(maxDef);
        if (descriptor.getMaxRepetitionLevel() > 0) {
            throw new ParquetDecodingException("column " + String.join(".", descriptor.getPath())
                    + " is repeated; only flat columns are supported");
        }
        DictionaryPage dictPage = pages.readDictionaryPage();
        if (dictPage != null) {
            try {
                dictionary = dictPage.getEncoding().initDictionary(descriptor, dictPage);
            } catch (IOException e) {
                throw new ParquetDecodingException("cannot decode the dictionary page", e);
            }
            loadDictionary(dictionary);
        }
    }

    /** Converts the decoded dictionary once into arrays the subclass gathers from. */
    abstract void loadDictionary(Dictionary dictionary);

    /** Whether the subclass reads PLAIN pages from the page buffer itself. */
    abstract boolean readsPlain();

    /** Prepares {@code vector} (already allocated for {@code rows}) for a batch. */
    void begin(FieldVector vector, int rows) {}

    /** Copies {@code n} consecutive non-null values into rows {@code [at, at + n)}; validity is set by the caller. */
    abstract void readValues(FieldVector vector, int at, int n);

    /** Rows {@code [at, at + n)} are null. */
    void nulls(FieldVector vector, int at, int n) {}

    /** Ends a batch of {@code rows} rows. */
    void end(FieldVector vector, int rows) {
        vector.setValueCount(rows);
    }

    /** Fills rows {@code [0, rows)} of {@code vector}, which must be allocated for at least {@code rows} values. */
    final void read(FieldVector vector, int rows) {
        begin(vector, rows);
        ArrowBuf validity = vector.getValidityBuffer();
        int done = 0;
        while (done < rows) {
            if (pageLeft == 0) {
                nextPage();
                continue;
            }
            int n = Math.min(rows - done, pageLeft);
            if (maxDef == 0) {
                readValues(vector, done, n);
                Bits.setRange(validity, done, n);
            } else {
                if (levels.length < n) {
                    levels = new int[Math.max(n, 1024)];
                }
                levelDecoder.read(levels, 0, n);
                int i = 0;
                while (i < n) {
                    int j = i + 1;
                    if (levels[i] == maxDef) {
                        while (j < n && levels[j] == maxDef) {
                            j++;
                        }
                        readValues(vector, done + i, j - i);
                        Bits.setRange(validity, done + i, j - i);
                    } else {
                        while (j < n && levels[j] != maxDef) {
                            j++;
                        }
                        nulls(vector, done + i, j - i);
                    }
                    i = j;
                }
            }
            pageLeft -= n;
            done += n;
        }
        end(vector, rows);
    }

    /** Fills {@code idScratch[0, n)} with the next {@code n} dictionary ids. */
    final int[] nextIds(int n) {
        if (idScratch.length < n) {
            idScratch = new int[Math.max(n, 1024)];
        }
        ids.read(idScratch, 0, n);
        return idScratch;
    }

    private void nextPage() {
        DataPage dataPage = pages.readPage();
        if (dataPage == null) {
            throw new ParquetDecodingException("column " + String.join(".", descriptor.getPath())
                    + " has fewer values than the row group declares");
        }
        pageLeft = dataPage.getValueCount();
        try {
            if (dataPage instanceof DataPageV1 v1) {
                ByteBuffer buf = pageBytes(v1.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
                int p = buf.position();
                if (maxDef > 0) {
                    if (v1.getDlEncoding() != Encoding.RLE) {
                        throw new ParquetDecodingException("definition level encoding " + v1.getDlEncoding()
                                + " is not supported (only RLE)");
                    }
                    int len = buf.getInt(p);
                    levelDecoder = new RleBitPackedDecoder(buf, p + 4, p + 4 + len, levelBitWidth);
                    p += 4 + len;
                }
                startValues(v1.getValueEncoding(), buf, p, buf.limit(), dataPage.getValueCount());
            } else if (dataPage instanceof DataPageV2 v2) {
                if (maxDef > 0) {
                    ByteBuffer dl = v2.getDefinitionLevels().toByteBuffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    levelDecoder = new RleBitPackedDecoder(dl, dl.position(), dl.limit(), levelBitWidth);
                }
                ByteBuffer data = pageBytes(v2.getData()).order(ByteOrder.LITTLE_ENDIAN);
                startValues(v2.getDataEncoding(), data, data.position(), data.limit(),
                        dataPage.getValueCount() - v2.getNullCount());
            } else {
                throw new ParquetDecodingException("unknown page kind " + dataPage.getClass().getName());
            }
        } catch (IOException e) {
            throw new ParquetDecodingException("cannot read a data page of column "
                    + String.join(".", descriptor.getPath()), e);
        }
    }

    /** The page being decoded, in {@link #pageBytes}'s reused array. */
    private byte[] pageScratch = new byte[0];

    /**
     * A page's bytes in one array reused from page to page (a page is decoded to the end before the next is read).
     * A compressed page decompresses straight into it: {@code toByteBuffer} would allocate a new array per page, of
     * about a megabyte, which G1 allocates as a humongous object each time.
     */
    private ByteBuffer pageBytes(org.apache.parquet.bytes.BytesInput bytes) throws IOException {
        long size = bytes.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new ParquetDecodingException("page of " + size + " bytes in column "
                    + String.join(".", descriptor.getPath()) + " is larger than 2 GiB");
        }
        int n = (int) size;
        if (pages instanceof SnappyPages snappy && snappy.owns(bytes)) {
            // already decompressed into the page reader's array, which stays ours until the next page is read
            return bytes.toByteBuffer();
        }
        if (pageScratch.length < n) {
            pageScratch = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(n, 2L * pageScratch.length))];
        }
        try (java.io.InputStream in = bytes.toInputStream()) {
            int done = 0;
            while (done < n) {
                int r = in.read(pageScratch, done, n - done);
                if (r < 0) {
                    throw new ParquetDecodingException("page of column " + String.join(".", descriptor.getPath())
                            + " ends after " + done + " of its " + n + " bytes");
                }
                done += r;
            }
        }
        return ByteBuffer.wrap(pageScratch, 0, n).slice();
    }

    private void startValues(Encoding encoding, ByteBuffer buf, int start, int end, int valueCount)
            throws IOException {
        if (encoding == Encoding.PLAIN && readsPlain()) {
            mode = Mode.PLAIN;
            page = buf;
            pos = start;
        } else if (encoding.usesDictionary()) {
            if (dictionary == null) {
                throw new ParquetDecodingException("dictionary-encoded page without a dictionary page");
            }
            mode = Mode.DICTIONARY;
            int bitWidth = buf.get(start) & 0xFF;
            ids = new RleBitPackedDecoder(buf, start + 1, end, bitWidth);
        } else {
            mode = Mode.READER;
            ByteBuffer slice = buf.duplicate();
            slice.position(start).limit(end);
            reader = encoding.getValuesReader(descriptor, ValuesType.VALUES);
            reader.initFromPage(valueCount, ByteBufferInputStream.wrap(slice.slice()));
        }
        pageStarted();
    }

    /** A new data page's values start; subclasses with per-page state reset it here. */
    void pageStarted() {}
}

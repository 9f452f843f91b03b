package dev.weft.connectors.internal.parquet;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.page.PageReader;

/** BOOLEAN into a BitVector; PLAIN booleans are bit-packed LSB first, as Arrow's bitmap. */
final class BooleanDecoder extends ColumnChunkDecoder {
    private boolean[] dict;
    private int bit;

    BooleanDecoder(ColumnDescriptor d, PageReader pages) {
        super(d, pages);
    }

    @Override
    void loadDictionary(Dictionary dictionary) {
        dict = new boolean[dictionary.getMaxId() + 1];
        for (int i = 0; i < dict.length; i++) {
            dict[i] = dictionary.decodeToBoolean(i);
        }
    }

    @Override
    boolean readsPlain() {
        return true;
    }

    @Override
    void readValues(FieldVector vector, int at, int n) {
        ArrowBuf data = vector.getDataBuffer();
        for (int i = 0; i < n; i++) {
            boolean v = switch (mode) {
                case PLAIN -> {
                    int b = (page.get(pos + (bit >>> 3)) >>> (bit & 7)) & 1;
                    bit++;
                    yield b != 0;
                }
                case DICTIONARY -> dict[nextIds(1)[0]];
                case READER -> reader.readBoolean();
            };
            if (v) {
                Bits.setBit(data, at + i);
            }
        }
    }

    @Override
    void pageStarted() {
        bit = 0;
    }
}

package dev.weft.connectors.internal.text;

import dev.weft.connectors.internal.ReadCounters;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes a reader pulls into {@link ReadCounters#bytesRead()}. */
final class CountingInput extends FilterInputStream {
    private final ReadCounters counters;

    CountingInput(InputStream in, ReadCounters counters) {
        super(in);
        this.counters = counters;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counters.addBytesRead(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counters.addBytesRead(n);
        }
        return n;
    }
}

package dev.weft.connectors.internal.text;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the records of one CSV file with Jackson's CSV parser (quotes, escaped quotes, delimiters and line
 * breaks inside quoted fields), reporting each record's line number. Not thread-safe.
 */
final class CsvRows implements Closeable {
    private static final CsvFactory FACTORY = new CsvFactory();
    private final CsvParser parser;
    private long line;

    CsvRows(InputStream in, CsvSettings settings) throws IOException {
        parser = FACTORY.createParser(in);
        parser.setSchema(CsvSchema.emptySchema().withColumnSeparator(settings.delimiter())
                .withQuoteChar(settings.quote()).withoutHeader());
    }

    /** The next record's fields, or {@code null} at the end of the file. */
    List<String> next() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new IOException("unexpected CSV token " + t);
        }
        List<String> fields = new ArrayList<>();
        while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("record ends early");
            }
            if (fields.isEmpty()) {
                // The record's own start is only known from its first field (START_ARRAY reports the previous line).
                line = parser.currentTokenLocation().getLineNr();
            }
            fields.add(parser.getText());
        }
        return fields;
    }

    /** The 1-based line on which the last record returned by {@link #next()} starts. */
    long line() {
        return line;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}

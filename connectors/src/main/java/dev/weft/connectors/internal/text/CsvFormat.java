package dev.weft.connectors.internal.text;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.internal.BatchReader;
import dev.weft.connectors.internal.ReadCounters;
import dev.weft.connectors.internal.fs.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/**
 * CSV files: one record per row. Column names come from the header row (or are {@code column0, column1, ...});
 * types are inferred from the first {@code inferRows} records of the first file (boolean, then int64, then
 * float64, else string; all columns nullable; empty fields and the null text are null) unless a schema is given.
 * Columns are matched by position. A cell that does not parse as its column's type is an error naming the file,
 * line and column.
 */
public record CsvFormat(CsvSettings settings) implements TextFormat {
    @Override
    public String name() {
        return "CSV";
    }

    @Override
    public Schema inferSchema(InputFile file, Configuration conf) {
        try (CsvRows rows = new CsvRows(TextInput.open(file.path(), conf), settings)) {
            List<String> names = null;
            List<String> first = rows.next();
            if (first == null) {
                throw new FileReadException(file.path(), "line 1", "the file is empty, so no schema can be inferred "
                        + "(pass an explicit schema)", null);
            }
            List<Kind> kinds = new ArrayList<>();
            List<String> sample = first;
            if (settings.header()) {
                names = first;
                checkHeader(file, names);
                sample = rows.next();
            } else {
                names = new ArrayList<>();
                for (int i = 0; i < first.size(); i++) {
                    names.add("column" + i);
                }
            }
            for (int i = 0; i < names.size(); i++) {
                kinds.add(Kind.NONE);
            }
            int seen = 0;
            while (sample != null && seen < settings.inferRows()) {
                for (int i = 0; i < Math.min(sample.size(), names.size()); i++) {
                    String s = sample.get(i);
                    if (!settings.isNull(s)) {
                        kinds.set(i, kinds.get(i).widen(Kind.of(s)));
                    }
                }
                seen++;
                sample = rows.next();
            }
            List<Field> fields = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                fields.add(Field.nullable(names.get(i), kinds.get(i).arrow()));
            }
            return new Schema(fields);
        } catch (IOException e) {
            throw malformed(file, conf, "", e);
        }
    }

    /** Fails when the header names a column twice: columns are found by name, so one would hide the other. */
    private static void checkHeader(InputFile file, List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            int again = names.subList(i + 1, names.size()).indexOf(names.get(i));
            if (again >= 0) {
                throw new FileReadException(file.path(), "line 1", "the header names column '" + names.get(i)
                        + "' twice (fields #" + (i + 1) + " and #" + (i + again + 2) + " of " + names + "); rename one "
                        + "in the file, or read with header=false and an explicit schema", null);
            }
        }
    }

    /**
     * The error for a CSV parse failure. A quoted field that never closes is reported by the parser only at the end
     * of the file; the file is scanned again to name the line where that field opens.
     */
    private FileReadException malformed(InputFile file, Configuration conf, String location, IOException e) {
        String m = String.valueOf(e.getMessage());
        String detail = m.lines().findFirst().orElse(m);
        if (m.contains("closing quote")) {
            try (InputStream in = TextInput.open(file.path(), conf)) {
                long opens = unclosedQuoteLine(in, settings.delimiter(), settings.quote());
                if (opens > 0) {
                    return new FileReadException(file.path(), "line " + opens, "a quoted field opens on this line "
                            + "and is never closed (malformed CSV: " + detail + ")", e);
                }
            } catch (IOException | RuntimeException again) {
                e.addSuppressed(again);
            }
        }
        return new FileReadException(file.path(), location, "malformed CSV (" + detail + ")", e);
    }

    /** The 1-based line on which a quoted field opens that is still open at the end of {@code in}, or -1. */
    static long unclosedQuoteLine(InputStream in, char delimiter, char quote) throws IOException {
        java.io.Reader r = new java.io.BufferedReader(new java.io.InputStreamReader(in,
                java.nio.charset.StandardCharsets.UTF_8));
        long line = 1;
        long opened = -1;
        boolean quoted = false;
        boolean fieldStart = true;
        int c;
        while ((c = r.read()) != -1) {
            if (quoted) {
                if (c == quote) {
                    r.mark(1);
                    if (r.read() != quote) {
                        r.reset();
                        quoted = false; // the closing quote; a doubled one is an escaped quote
                    }
                } else if (c == '\n') {
                    line++;
                }
                continue;
            }
            if (c == '\n') {
                line++;
                fieldStart = true;
            } else if (c == delimiter) {
                fieldStart = true;
            } else if (c == quote && fieldStart) {
                quoted = true;
                fieldStart = false;
                opened = line;
            } else if (c != ' ' && c != '\r') {
                fieldStart = false;
            }
        }
        return quoted ? opened : -1;
    }

    /** Inferred cell kinds, widened as more values are seen. */
    enum Kind {
        NONE, BOOLEAN, INT64, FLOAT64, DATE, TIMESTAMP, STRING;

        private static final java.util.regex.Pattern DATE_TEXT = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
        private static final java.util.regex.Pattern TIMESTAMP_TEXT = java.util.regex.Pattern.compile(
                "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?");

        /** The kind of a string value as JSON holds it: a date or timestamp when it reads as one, else a string. */
        static Kind ofText(String s) {
            String t = s.trim();
            if (DATE_TEXT.matcher(t).matches()) {
                try {
                    CellParser.parseDate(t);
                    return DATE;
                } catch (IllegalArgumentException e) {
                    return STRING;
                }
            }
            if (TIMESTAMP_TEXT.matcher(t).matches()) {
                try {
                    CellParser.parseTimestamp(t, org.apache.arrow.vector.types.TimeUnit.MICROSECOND);
                    return TIMESTAMP;
                } catch (IllegalArgumentException e) {
                    return STRING;
                }
            }
            return STRING;
        }

        static Kind of(String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
                return BOOLEAN;
            }
            try {
                Long.parseLong(t);
                return INT64;
            } catch (NumberFormatException e) {
                // not an integer
            }
            try {
                CellParser.parseDouble(t, "float64");
                return FLOAT64;
            } catch (IllegalArgumentException e) {
                return ofText(t);
            }
        }

        Kind widen(Kind other) {
            if (this == NONE) {
                return other;
            }
            if (other == NONE) {
                return this;
            }
            if (this == other) {
                return this;
            }
            if ((this == INT64 && other == FLOAT64) || (this == FLOAT64 && other == INT64)) {
                return FLOAT64;
            }
            if ((this == DATE && other == TIMESTAMP) || (this == TIMESTAMP && other == DATE)) {
                return TIMESTAMP;
            }
            return STRING;
        }

        ArrowType arrow() {
            return switch (this) {
                case BOOLEAN -> ArrowType.Bool.INSTANCE;
                case INT64 -> new ArrowType.Int(64, true);
                case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
                case DATE -> new ArrowType.Date(org.apache.arrow.vector.types.DateUnit.DAY);
                case TIMESTAMP -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC");
                case NONE, STRING -> ArrowType.Utf8.INSTANCE;
            };
        }
    }

    @Override
    public BatchReader open(InputFile file, Schema dataSchema, Configuration conf, BatchBuilder builder,
            ReadCounters counters, long limit) {
        return new BatchReader() {
            private CsvRows rows;
            private long left = limit;
            private boolean done;

            @Override
            public VectorSchemaRoot next() {
                if (done) {
                    return null;
                }
                int columns = dataSchema.getFields().size();
                try {
                    if (rows == null) {
                        rows = new CsvRows(new CountingInput(TextInput.open(file.path(), conf), counters), settings);
                        counters.addFilesOpened(1);
                        if (settings.header() && rows.next() == null) {
                            done = true;
                            return null;
                        }
                    }
                    while (left > 0 && !builder.full()) {
                        List<String> rec = rows.next();
                        if (rec == null) {
                            done = true;
                            break;
                        }
                        if (rec.size() == 1 && rec.get(0).isEmpty() && columns > 1) {
                            continue; // a blank line
                        }
                        if (rec.size() != columns) {
                            throw new FileReadException(file.path(), "line " + rows.line(), "the record has "
                                    + rec.size() + " fields but the schema has " + columns + " columns", null);
                        }
                        for (int c = 0; c < columns; c++) {
                            if (!builder.wants(c)) {
                                continue;
                            }
                            String s = rec.get(c);
                            if (settings.isNull(s)) {
                                continue;
                            }
                            try {
                                builder.parse(c, s);
                            } catch (IllegalArgumentException e) {
                                throw new FileReadException(file.path(), "line " + rows.line() + ", column '"
                                        + dataSchema.getFields().get(c).getName() + "' (#" + (c + 1) + ")",
                                        e.getMessage(), e);
                            }
                        }
                        builder.endRow();
                        left--;
                    }
                } catch (IOException e) {
                    throw malformed(file, conf, rows == null ? "" : "line " + rows.line(), e);
                }
                if (left == 0) {
                    done = true;
                }
                VectorSchemaRoot b = builder.finish();
                if (b != null) {
                    counters.addRowsRead(b.getRowCount());
                }
                return b;
            }

            @Override
            public void close() {
                done = true;
                builder.close();
                if (rows != null) {
                    try {
                        rows.close();
                    } catch (IOException e) {
                        // read-only input; nothing to lose
                    }
                    rows = null;
                }
            }
        };
    }
}

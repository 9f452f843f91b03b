package dev.weft.connectors.internal.sink;

import dev.weft.connectors.internal.BatchWriter;
import dev.weft.connectors.internal.text.CsvBatchWriter;
import dev.weft.connectors.internal.text.JsonBatchWriter;
import java.io.IOException;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;

/** Directory sinks for CSV and JSON lines; immutable and serializable. */
public final class TextSinks {
    private TextSinks() {}

    /** CSV files with a header row. */
    public static final class Csv extends StagedFileSink {
        private final char delimiter;
        private final boolean header;

        public Csv(String target, Map<String, String> hadoop, WriteMode mode, char delimiter, boolean header) {
            super(target, hadoop, mode);
            this.delimiter = delimiter;
            this.header = header;
        }

        @Override
        public String name() {
            return "CSV";
        }

        @Override
        protected String extension() {
            return "csv";
        }

        @Override
        protected BatchWriter openWriter(String path, Schema schema, Configuration conf) throws IOException {
            return new CsvBatchWriter(path, schema, delimiter, header, conf);
        }
    }

    /** JSON lines files. */
    public static final class Json extends StagedFileSink {
        public Json(String target, Map<String, String> hadoop, WriteMode mode) {
            super(target, hadoop, mode);
        }

        @Override
        public String name() {
            return "JSON";
        }

        @Override
        protected String extension() {
            return "jsonl";
        }

        @Override
        protected BatchWriter openWriter(String path, Schema schema, Configuration conf) throws IOException {
            return new JsonBatchWriter(path, schema, conf);
        }
    }
}

package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Reads chosen required columns of Parquet files value by value with parquet-mr's column readers, on the calling
 * thread: the plain single-threaded Java side of the macro runner, and the reader of the sort workload's output.
 */
final class ParquetColumnScan {

    /** Called once per row with the row's values of the requested columns, by position. */
    @FunctionalInterface
    interface RowVisitor {
        void row(ScanRow row);
    }

    /**
     * The current row's values. Every value is decoded before the visit: a parquet-mr column reader that is
     * advanced without reading its value loses its place, so the visitor may read any subset. Binary values are
     * valid only during the visit ({@link Binary#copy()} to keep one).
     */
    static final class ScanRow {
        private final long[] longs;
        private final double[] doubles;
        private final Binary[] binaries;

        ScanRow(int columns) {
            longs = new long[columns];
            doubles = new double[columns];
            binaries = new Binary[columns];
        }

        long getLong(int column) {
            return longs[column];
        }

        double getDouble(int column) {
            return doubles[column];
        }

        Binary getBinary(int column) {
            return binaries[column];
        }
    }

    private ParquetColumnScan() {
    }

    /**
     * Read options over one loaded Hadoop configuration: {@code ParquetFileReader.open(file)} alone builds a fresh
     * configuration per file, which re-parses Hadoop's default XML resources each time.
     */
    private static final ParquetReadOptions OPTIONS = HadoopReadOptions.builder(new Configuration()).build();

    /** The {@code .parquet} files of a directory in name order (the order of a sorted output's ranges). */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
            if (files.isEmpty()) {
                throw new IOException("no .parquet files in " + dir);
            }
            return files;
        }
    }

    /** Visits every row of {@code file}'s {@code columns}; the scan advances the readers after each visit. */
    static void scan(Path file, List<String> columns, RowVisitor visitor) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file), OPTIONS)) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageType projection = new MessageType(schema.getName(),
                    columns.stream().map(schema::getType).toList());
            reader.setRequestedSchema(projection);
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            ColumnReader[] readers = new ColumnReader[columns.size()];
            PrimitiveTypeName[] types = new PrimitiveTypeName[columns.size()];
            for (int c = 0; c < types.length; c++) {
                types[c] = schema.getType(columns.get(c)).asPrimitiveType().getPrimitiveTypeName();
            }
            ScanRow row = new ScanRow(columns.size());
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(projection).getRootConverter(), projection, createdBy);
                for (int c = 0; c < readers.length; c++) {
                    readers[c] = store.getColumnReader(projection.getColumnDescription(new String[] {columns.get(c)}));
                }
                for (long r = pages.getRowCount(); r > 0; r--) {
                    for (int c = 0; c < readers.length; c++) {
                        ColumnReader cr = readers[c];
                        switch (types[c]) {
                            case INT64 -> row.longs[c] = cr.getLong();
                            case DOUBLE -> row.doubles[c] = cr.getDouble();
                            case BINARY, FIXED_LEN_BYTE_ARRAY -> row.binaries[c] = cr.getBinary();
                            default -> throw new IOException("%s: column %s has type %s, which this scan does not read"
                                    .formatted(file, columns.get(c), types[c]));
                        }
                        cr.consume();
                    }
                    visitor.row(row);
                }
            }
        }
    }
}

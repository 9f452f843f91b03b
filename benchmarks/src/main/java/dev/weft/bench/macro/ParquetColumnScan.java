package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads chosen required columns of Parquet files value by value with parquet-mr's column readers, on the calling
 * thread: the plain single-threaded Java side of the macro runner, and the reader of the sort workload's output.
 */
final class ParquetColumnScan {

    /** Called once per row with one reader per requested column, positioned on the row's values. */
    @FunctionalInterface
    interface RowVisitor {
        void row(ColumnReader[] columns);
    }

    private ParquetColumnScan() {
    }

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
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            MessageType projection = new MessageType(schema.getName(),
                    columns.stream().map(schema::getType).toList());
            reader.setRequestedSchema(projection);
            String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
            ColumnReader[] readers = new ColumnReader[columns.size()];
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                        new GroupRecordConverter(projection).getRootConverter(), projection, createdBy);
                for (int c = 0; c < readers.length; c++) {
                    readers[c] = store.getColumnReader(projection.getColumnDescription(new String[] {columns.get(c)}));
                }
                for (long r = pages.getRowCount(); r > 0; r--) {
                    visitor.row(readers);
                    for (ColumnReader cr : readers) {
                        cr.consume();
                    }
                }
            }
        }
    }
}

package dev.weft.data;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.internal.arrow.Batches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A real file source for the tests of this module (the Parquet/CSV connectors live in another module): Arrow
 * IPC files in a directory, one read task per file, projection push-down (columns dropped while reading) and
 * filter push-down recorded in the plan and in a {@code filesPruned} counter (files whose name says they hold
 * no matching rows are skipped: {@code part-<min>-<max>.arrow} on column {@code id}).
 */
record ArrowFilesSource(String dir, List<String> columns, Expr filter) implements SupportsProjectionPushdown,
        SupportsFilterPushdown {

    @Override
    public String name() {
        return "ArrowFiles";
    }

    @Override
    public String describe() {
        return "dir=" + Path.of(dir).getFileName() + (columns == null ? "" : ", columns=" + columns)
                + (filter == null ? "" : ", filter=" + filter);
    }

    @Override
    public Optional<Schema> schema() {
        List<String> files = files();
        if (files.isEmpty()) {
            return Optional.empty();
        }
        try (var ch = Files.newByteChannel(Path.of(files.getFirst()));
             var reader = new ArrowFileReader(ch, dev.weft.data.internal.arrow.DataAllocators.root())) {
            Schema s = reader.getVectorSchemaRoot().getSchema();
            if (columns == null) {
                return Optional.of(s);
            }
            List<Field> kept = s.getFields().stream().filter(f -> columns.contains(f.getName())).toList();
            return Optional.of(new Schema(kept));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Datasource withColumns(List<String> newColumns) {
        return new ArrowFilesSource(dir, List.copyOf(newColumns), filter);
    }

    @Override
    public Result withFilter(Expr predicate) {
        return new Result(new ArrowFilesSource(dir, columns, predicate), Optional.of(predicate));
    }

    private List<String> files() {
        try (Stream<Path> s = Files.list(Path.of(dir))) {
            return s.filter(p -> p.toString().endsWith(".arrow")).map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new WeftException(ErrorType.USER_ERROR, "cannot list " + dir + ": " + e, e);
        }
    }

    @Override
    public List<ReadTask> getReadTasks(int parallelism, DataContext context) {
        List<ReadTask> tasks = new ArrayList<>();
        for (String f : files()) {
            if (filter != null && pruned(f)) {
                continue;
            }
            tasks.add(new FileTask(f, columns));
        }
        return tasks;
    }

    /** Whether the file's id range (from its name) cannot satisfy a top-level {@code id < x} conjunct. */
    private boolean pruned(String file) {
        String name = Path.of(file).getFileName().toString();
        String[] parts = name.replace(".arrow", "").split("-");
        if (parts.length != 3) {
            return false;
        }
        long min = Long.parseLong(parts[1]);
        for (Expr c : filter.conjuncts()) {
            if (c instanceof Expr.Compare(CompareOp op, Expr.Column col, Expr.Literal lit)
                    && col.name().equals("id") && op == CompareOp.LT && lit.value() instanceof Number n
                    && min >= n.longValue()) {
                return true;
            }
        }
        return false;
    }

    record FileTask(String file, List<String> columns) implements ReadTask {
        @Override
        public ReadTaskMetadata metadata() {
            return new ReadTaskMetadata(OptionalLong.empty(), OptionalLong.empty(), List.of(file));
        }

        @Override
        public CloseableIterator<VectorSchemaRoot> read(ReadContext context) throws IOException {
            var ch = Files.newByteChannel(Path.of(file));
            ArrowFileReader reader = new ArrowFileReader(ch, context.allocator());
            context.addCounter(ReadContext.BYTES_READ, Files.size(Path.of(file)));
            return new CloseableIterator<>() {
                private Boolean ready;

                @Override
                public boolean hasNext() {
                    if (ready == null) {
                        try {
                            ready = reader.loadNextBatch();
                        } catch (IOException e) {
                            throw new WeftException(ErrorType.USER_ERROR, "reading " + file + " failed: " + e, e);
                        }
                    }
                    return ready;
                }

                @Override
                public VectorSchemaRoot next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    ready = null;
                    try {
                        VectorSchemaRoot in = reader.getVectorSchemaRoot();
                        List<FieldVector> keep = new ArrayList<>();
                        for (FieldVector v : in.getFieldVectors()) {
                            if (columns == null || columns.contains(v.getName())) {
                                keep.add(v);
                            }
                        }
                        return Batches.transfer(new VectorSchemaRoot(keep.stream().map(FieldVector::getField).toList(),
                                keep, in.getRowCount()), context.allocator());
                    } catch (IOException e) {
                        throw new WeftException(ErrorType.USER_ERROR, "reading " + file + " failed: " + e, e);
                    }
                }

                @Override
                public void close() {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new WeftException(ErrorType.USER_ERROR, "closing " + file + " failed: " + e, e);
                    }
                }
            };
        }
    }
}

package dev.weft.connectors.internal.parquet;

import dev.weft.connectors.FileReadException;
import dev.weft.connectors.InputNotFoundException;
import dev.weft.connectors.SchemaMismatchException;
import dev.weft.connectors.internal.fs.FileLister;
import dev.weft.connectors.internal.fs.HadoopConf;
import dev.weft.connectors.internal.fs.InputFile;
import dev.weft.connectors.internal.fs.Partitioning;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * What planning a Parquet read learns once: the files, their footers, the partitioning and the unified schema.
 * Built on the driver and shared by the sources push-down derives from one another. Immutable once built.
 *
 * <p>Schemas: without {@code mergeSchema} every file must have the first file's columns with the same types
 * (order may differ); with it the schema is the union in first-seen order, columns some files lack become
 * nullable and read as null there. A column whose type differs between files is always an error naming both
 * files.
 */
public final class ParquetDatasetInfo {
    public final List<String> paths;
    public final Map<String, String> hadoopSettings;
    public final List<InputFile> files;
    /** Footer per file, {@code null} where the file was skipped as corrupt. */
    public final List<ParquetMetadata> footers;
    /** Files skipped as corrupt while reading footers, with the error. */
    public final Map<String, FileReadException> skipped;
    public final Partitioning partitioning;
    /** Data columns only. */
    public final Schema dataSchema;

    private ParquetDatasetInfo(List<String> paths, Map<String, String> hadoopSettings, List<InputFile> files,
            List<ParquetMetadata> footers, Map<String, FileReadException> skipped, Partitioning partitioning,
            Schema dataSchema) {
        this.paths = paths;
        this.hadoopSettings = hadoopSettings;
        this.files = files;
        this.footers = footers;
        this.skipped = skipped;
        this.partitioning = partitioning;
        this.dataSchema = dataSchema;
    }

    /** Data columns followed by partition columns. */
    public Schema fullSchema() {
        List<Field> f = new ArrayList<>(dataSchema.getFields());
        f.addAll(partitioning.fields());
        return new Schema(f);
    }

    /**
     * The files under some paths and their footers, read once whatever {@code ignoreCorruptFiles} says: a file whose
     * footer cannot be read has a null footer and its error in {@code errors}.
     */
    public record Footers(List<InputFile> listed, List<ParquetMetadata> footers, Map<String, FileReadException> errors) {
        /** Lists {@code paths} (failing when they are missing or hold no file) and reads every footer. */
        public static Footers read(List<String> paths, Map<String, String> hadoopSettings) {
            Configuration conf = HadoopConf.of(hadoopSettings);
            List<InputFile> listed = FileLister.list(paths, conf, name -> true);
            Map<String, FileReadException> errors = new LinkedHashMap<>();
            List<ParquetMetadata> footers = readFooters(listed, conf, errors);
            return new Footers(List.copyOf(listed), java.util.Collections.unmodifiableList(footers),
                    java.util.Collections.unmodifiableMap(errors));
        }
    }

    public static ParquetDatasetInfo plan(List<String> paths, Map<String, String> hadoopSettings,
            boolean hivePartitioning, boolean mergeSchema, boolean ignoreCorruptFiles) {
        return plan(Footers.read(paths, hadoopSettings), paths, hadoopSettings, hivePartitioning, mergeSchema,
                ignoreCorruptFiles);
    }

    /** The dataset over files whose footers were read: corrupt ones fail it, or are skipped with {@code ignoreCorruptFiles}. */
    public static ParquetDatasetInfo plan(Footers read, List<String> paths, Map<String, String> hadoopSettings,
            boolean hivePartitioning, boolean mergeSchema, boolean ignoreCorruptFiles) {
        List<InputFile> listed = read.listed();
        Partitioning partitioning = hivePartitioning ? Partitioning.infer(listed) : Partitioning.NONE;
        Map<String, FileReadException> errors = read.errors();
        List<ParquetMetadata> footers = read.footers();
        Map<String, FileReadException> skipped = new LinkedHashMap<>();
        List<InputFile> files = new ArrayList<>();
        List<ParquetMetadata> good = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            ParquetMetadata m = footers.get(i);
            if (m == null) {
                continue;
            }
            files.add(listed.get(i));
            good.add(m);
        }
        for (int i = 0; i < listed.size(); i++) {
            if (footers.get(i) == null) {
                FileReadException e = errors.get(listed.get(i).path());
                if (!ignoreCorruptFiles) {
                    throw e;
                }
                skipped.put(listed.get(i).path(), e);
            }
        }
        if (files.isEmpty()) {
            throw new InputNotFoundException(String.join(",", paths), "no readable Parquet file under " + paths
                    + " (" + skipped.size() + " corrupt files skipped: " + skipped.keySet() + ")");
        }
        Schema dataSchema = unify(files, good, mergeSchema);
        for (String key : partitioning.keys()) {
            if (dataSchema.getFields().stream().anyMatch(f -> f.getName().equals(key))) {
                throw new SchemaMismatchException("partition directory key '" + key
                        + "' is also a column inside the Parquet files (e.g. " + files.get(0).path() + ")");
            }
        }
        return new ParquetDatasetInfo(List.copyOf(paths), Map.copyOf(hadoopSettings), List.copyOf(files),
                java.util.Collections.unmodifiableList(good), skipped, partitioning, dataSchema);
    }

    /** Footers in file order; a file whose footer fails gets {@code null} and its error in {@code errors}. */
    private static List<ParquetMetadata> readFooters(List<InputFile> files, Configuration conf,
            Map<String, FileReadException> errors) {
        List<ParquetMetadata> out = new ArrayList<>(files.size());
        // Footers are small reads with high latency on object stores: fetch them concurrently.
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ParquetMetadata>> futures = new ArrayList<>();
            for (InputFile f : files) {
                futures.add(pool.submit(() -> readFooter(f, conf)));
            }
            for (int i = 0; i < files.size(); i++) {
                try {
                    out.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof FileReadException fre) {
                        errors.put(files.get(i).path(), fre);
                        out.add(null);
                    } else if (c instanceof RuntimeException re) {
                        throw re;
                    } else {
                        throw new IllegalStateException(c);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new dev.weft.api.WeftException(dev.weft.api.ErrorType.CANCELLED,
                            "interrupted while reading Parquet footers", e);
                }
            }
        }
        return out;
    }

    static ParquetMetadata readFooter(InputFile f, Configuration conf) {
        try {
            // Options from the caller's (cached, already loaded) configuration: the static readFooter builds a
            // fresh Hadoop Configuration per file, which re-parses the *-default.xml resources every time.
            ParquetReadOptions options = HadoopReadOptions.builder(conf)
                    .withMetadataFilter(ParquetMetadataConverter.NO_FILTER).build();
            try (ParquetFileReader reader = ParquetFileReader.open(
                    dev.weft.connectors.internal.fs.HadoopFiles.parquetInput(new Path(f.path()), conf), options)) {
                return reader.getFooter();
            }
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage();
            String what = e instanceof java.nio.file.AccessDeniedException
                    || e instanceof org.apache.hadoop.security.AccessControlException
                    ? "file is not readable" : "corrupt or not a Parquet file";
            throw new FileReadException(f.path(), "footer", what + " (" + e.getClass().getSimpleName()
                    + (m == null ? "" : ": " + m) + ")", e);
        }
    }

    private static Schema unify(List<InputFile> files, List<ParquetMetadata> footers, boolean merge) {
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        LinkedHashMap<String, String> origin = new LinkedHashMap<>();
        Schema first = null;
        for (int i = 0; i < files.size(); i++) {
            String path = files.get(i).path();
            Schema s = ParquetSchemas.toArrow(footers.get(i).getFileMetaData().getSchema(), path);
            if (first == null) {
                first = s;
                for (Field f : s.getFields()) {
                    fields.put(f.getName(), f);
                    origin.put(f.getName(), path);
                }
                continue;
            }
            for (Field f : s.getFields()) {
                Field known = fields.get(f.getName());
                if (known == null) {
                    if (!merge) {
                        throw new SchemaMismatchException("Parquet file " + path + " has column '" + f.getName()
                                + "' that " + files.get(0).path() + " lacks; files of one read must have the same "
                                + "columns (or set mergeSchema=true)");
                    }
                    fields.put(f.getName(), nullable(f));
                    origin.put(f.getName(), path);
                } else if (!known.getType().equals(f.getType())) {
                    throw new SchemaMismatchException("column '" + f.getName() + "' is " + f.getType() + " in "
                            + path + " but " + known.getType() + " in " + origin.get(f.getName()));
                } else if (f.isNullable() && !known.isNullable()) {
                    fields.put(f.getName(), nullable(known));
                }
            }
            for (String name : new ArrayList<>(fields.keySet())) {
                if (s.getFields().stream().noneMatch(f -> f.getName().equals(name))) {
                    if (!merge) {
                        throw new SchemaMismatchException("Parquet file " + path + " lacks column '" + name
                                + "' that " + origin.get(name) + " has; files of one read must have the same "
                                + "columns (or set mergeSchema=true)");
                    }
                    fields.put(name, nullable(fields.get(name)));
                }
            }
        }
        return new Schema(new ArrayList<>(fields.values()));
    }

    private static Field nullable(Field f) {
        return f.isNullable() ? f : new Field(f.getName(), FieldType.nullable(f.getType()), null);
    }
}

package dev.weft.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained model as of round {@code round}: the booster serialized as XGBoost's UBJSON model, which every XGBoost
 * binding loads, and the number of boosting rounds it holds. Training resumes from it ({@link
 * XGBoostTrainer.Builder#resumeFrom}) with round {@code round}; scoring loads it once per actor ({@link
 * XGBoostPredictor}). A file holds exactly the model bytes, so {@code xgboost.Booster(model_file=...)} reads it too:
 * the round is the model's own count of boosted rounds. Immutable (the bytes are copied in and out).
 */
public record Checkpoint(int round, byte[] model) implements Serializable {
    /** The format of {@link #model()}: XGBoost's universal binary JSON. */
    public static final String FORMAT = "ubj";

    public Checkpoint {
        if (round < 0) {
            throw new IllegalArgumentException("checkpoint round must be >= 0, got " + round);
        }
        if (model == null || model.length == 0) {
            throw new IllegalArgumentException("checkpoint model bytes must not be empty");
        }
        model = model.clone();
    }

    @Override
    public byte[] model() {
        return model.clone();
    }

    /** The checkpoint of a live booster (its round is the booster's number of boosted rounds). */
    public static Checkpoint of(Booster booster) throws XGBoostError {
        return new Checkpoint(booster.getNumBoostedRound(), booster.toByteArray(FORMAT));
    }

    /** A new booster loaded from the model bytes; the caller disposes it. */
    public Booster booster() {
        try {
            return XGBoost.loadModel(model);
        } catch (XGBoostError e) {
            throw new IllegalStateException("cannot load the XGBoost model of the round-" + round + " checkpoint ("
                    + model.length + " bytes): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the model to {@code file} atomically (a temporary file beside it, then a rename). */
    public Path save(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, model);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** Reads a model file written by {@link #save} (or by any XGBoost binding in UBJSON or JSON). */
    public static Checkpoint load(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Booster booster;
        try {
            booster = XGBoost.loadModel(bytes);
        } catch (XGBoostError e) {
            throw new IOException("'" + file + "' is not an XGBoost model: " + e.getMessage(), e);
        }
        try {
            return new Checkpoint(booster.getNumBoostedRound(), booster.toByteArray(FORMAT));
        } catch (XGBoostError e) {
            throw new IOException("cannot read the XGBoost model in '" + file + "': " + e.getMessage(), e);
        } finally {
            booster.dispose();
        }
    }

    /** The file name a trainer gives the round-{@code round} checkpoint in its checkpoint directory. */
    static String fileName(int round) {
        return String.format("checkpoint-%06d.%s", round, FORMAT);
    }

    /** The checkpoint of the highest round in {@code dir} (as a trainer writes them), if there is one. */
    public static Optional<Checkpoint> latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{6,}\\." + FORMAT))
                    .sorted().toList();
        }
        return files.isEmpty() ? Optional.empty() : Optional.of(load(files.getLast()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.round == round && Arrays.equals(c.model, model);
    }

    @Override
    public int hashCode() {
        return 31 * round + Arrays.hashCode(model);
    }

    @Override
    public String toString() {
        return "Checkpoint[round " + round + ", " + model.length + " bytes of " + FORMAT + "]";
    }
}

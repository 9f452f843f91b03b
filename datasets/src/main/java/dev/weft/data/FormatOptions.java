package dev.weft.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Options of a file format, passed to a {@link DatasourceFactory} or {@link DatasinkFactory}: free-form
 * settings by name (each factory documents its own, e.g. {@code compression=zstd}, {@code delimiter=;},
 * {@code partitioning=hive}) and an optional explicit schema (instead of inference). Immutable.
 */
public record FormatOptions(Map<String, String> options, Optional<Schema> schema) {
    public static final FormatOptions NONE = new FormatOptions(Map.of(), Optional.empty());

    public FormatOptions {
        options = Map.copyOf(options);
        if (schema == null) {
            throw new IllegalArgumentException("schema must not be null (use Optional.empty())");
        }
    }

    public String option(String name, String defaultValue) {
        return options.getOrDefault(name, defaultValue);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final Map<String, String> options = new LinkedHashMap<>();
        private Schema schema;

        private Builder() {
        }

        public Builder option(String name, String value) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("option name must not be blank");
            }
            if (value == null) {
                throw new IllegalArgumentException("option '" + name + "' must have a value");
            }
            options.put(name, value);
            return this;
        }

        public Builder schema(Schema schema) {
            this.schema = schema;
            return this;
        }

        public FormatOptions build() {
            return new FormatOptions(options, Optional.ofNullable(schema));
        }
    }
}

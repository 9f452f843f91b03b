package dev.weft.connectors.internal;

import dev.weft.data.FormatOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads and validates the free-form options of a format. Unknown option names fail, naming the known ones, so a
 * typo never silently changes nothing. Hadoop settings pass through as {@code hadoop.<key>} or any key starting
 * with {@code fs.} (e.g. {@code fs.s3a.endpoint}).
 */
public final class SourceOptions {
    private final FormatOptions options;
    private final String format;

    public SourceOptions(String format, FormatOptions options, Set<String> known) {
        this.format = format;
        this.options = options;
        for (String k : options.options().keySet()) {
            if (!known.contains(k) && !k.startsWith("hadoop.") && !k.startsWith("fs.")) {
                throw new IllegalArgumentException("unknown " + format + " option '" + k + "'; known options: "
                        + new java.util.TreeSet<>(known) + " and hadoop.* / fs.* Hadoop settings");
            }
        }
    }

    /** The Hadoop settings among the options. */
    public Map<String, String> hadoopSettings() {
        Map<String, String> out = new TreeMap<>();
        options.options().forEach((k, v) -> {
            if (k.startsWith("hadoop.")) {
                out.put(k.substring("hadoop.".length()), v);
            } else if (k.startsWith("fs.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    public String string(String name, String defaultValue) {
        return options.option(name, defaultValue);
    }

    public boolean bool(String name, boolean defaultValue) {
        String v = options.options().get(name);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(format + " option '" + name + "' must be true or false, got '" + v + "'");
        };
    }

    public long positiveLong(String name, long defaultValue) {
        String v = options.options().get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            long x = Long.parseLong(v.trim());
            if (x > 0) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(format + " option '" + name + "' must be a positive integer, got '" + v + "'");
    }

    public char singleChar(String name, char defaultValue) {
        String v = options.options().get(name);
        if (v == null) {
            return defaultValue;
        }
        String s = v.equals("\\t") ? "\t" : v;
        if (s.length() != 1) {
            throw new IllegalArgumentException(format + " option '" + name + "' must be one character, got '" + v + "'");
        }
        return s.charAt(0);
    }

    public boolean hivePartitioning() {
        String v = options.option("partitioning", "hive").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "hive" -> true;
            case "none" -> false;
            default -> throw new IllegalArgumentException(format + " option 'partitioning' must be hive or none, got '" + v + "'");
        };
    }

    public FormatOptions raw() {
        return options;
    }
}

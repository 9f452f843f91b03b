package dev.weft.data.internal;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.data.DatasinkFactory;
import dev.weft.data.DatasourceFactory;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Finds the {@link DatasourceFactory}/{@link DatasinkFactory} of a format by {@link ServiceLoader}, so that the
 * dataset API reads and writes files without compiling against the connectors module.
 */
public final class FormatRegistry {
    private FormatRegistry() {
    }

    public static DatasourceFactory source(String format) {
        String wanted = format.toLowerCase(Locale.ROOT);
        TreeSet<String> found = new TreeSet<>();
        for (DatasourceFactory f : ServiceLoader.load(DatasourceFactory.class, loader())) {
            if (f.format().equalsIgnoreCase(wanted)) {
                return f;
            }
            found.add(f.format());
        }
        throw missing("reading", wanted, found);
    }

    public static DatasinkFactory sink(String format) {
        String wanted = format.toLowerCase(Locale.ROOT);
        TreeSet<String> found = new TreeSet<>();
        for (DatasinkFactory f : ServiceLoader.load(DatasinkFactory.class, loader())) {
            if (f.format().equalsIgnoreCase(wanted)) {
                return f;
            }
            found.add(f.format());
        }
        throw missing("writing", wanted, found);
    }

    private static ClassLoader loader() {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return l != null ? l : FormatRegistry.class.getClassLoader();
    }

    private static WeftException missing(String what, String format, TreeSet<String> found) {
        return new WeftException(ErrorType.USER_ERROR, "no connector for " + what + " format '" + format
                + "' on the class path (formats found: " + found + ")"
                + (found.isEmpty() ? "; add the dev.weft:weft-connectors dependency" : ""));
    }
}

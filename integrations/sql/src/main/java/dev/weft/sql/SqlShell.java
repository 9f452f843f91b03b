package dev.weft.sql;

import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.CloseableIterator;
import dev.weft.data.DataContext;
import dev.weft.data.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An interactive SQL shell over a catalog: statements end with {@code ;} and may span lines; results print as an
 * aligned table (up to {@link #MAX_ROWS} rows, the rest counted), each with its time; {@code \\d} lists the tables,
 * {@code \\d NAME} a table's columns, {@code \\history} the statements run, {@code \\q} quits. Errors print and the
 * shell goes on. Not thread-safe; one per terminal.
 *
 * <pre>
 * java ... dev.weft.sql.SqlShell --parquet events=/data/events --csv cities=/data/cities.csv
 * </pre>
 */
public final class SqlShell {
    /** Rows printed per result; the rest are counted, not printed. */
    public static final int MAX_ROWS = 100;

    private final WeftCatalog catalog;
    private final PrintStream out;
    private final List<String> history = new ArrayList<>();

    public SqlShell(WeftCatalog catalog, PrintStream out) {
        this.catalog = catalog;
        this.out = out;
    }

    /** Tables from {@code --parquet|--csv|--json NAME=PATH} arguments, then the shell on standard input. */
    public static void main(String[] args) throws IOException {
        WeftCatalog catalog = WeftCatalog.create();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String format = args[i].replaceFirst("^--", "");
            int eq = args[i + 1].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected " + args[i] + " NAME=PATH, got " + args[i + 1]);
            }
            catalog.register(args[i + 1].substring(0, eq), format, List.of(args[i + 1].substring(eq + 1)),
                    dev.weft.data.FormatOptions.NONE);
        }
        DataContext.setCurrent(DataContext.current().toBuilder().progressBars(false).build());
        try (Weft weft = Weft.init()) {
            new SqlShell(catalog, System.out).run(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
    }

    /** Reads statements from {@code input} until it ends or {@code \\q}. */
    public void run(Reader input) throws IOException {
        BufferedReader in = new BufferedReader(input);
        StringBuilder statement = new StringBuilder();
        out.print("weft> ");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String trimmed = line.trim();
            if (statement.isEmpty() && trimmed.startsWith("\\")) {
                if (!command(trimmed)) {
                    return;
                }
            } else if (!trimmed.isEmpty()) {
                statement.append(statement.isEmpty() ? "" : "\n").append(line);
                if (trimmed.endsWith(";")) {
                    String sql = statement.toString().strip();
                    execute(sql.substring(0, sql.length() - 1));
                    statement.setLength(0);
                }
            }
            out.print(statement.isEmpty() ? "weft> " : "   -> ");
        }
        out.println();
    }

    private boolean command(String command) {
        if (command.equals("\\q")) {
            return false;
        }
        if (command.equals("\\history")) {
            for (int i = 0; i < history.size(); i++) {
                out.println((i + 1) + "  " + history.get(i).replace("\n", " "));
            }
        } else if (command.equals("\\d")) {
            catalog.tableNames().forEach(out::println);
        } else if (command.startsWith("\\d ")) {
            String name = command.substring(3).trim();
            catalog.schema(name).ifPresentOrElse(
                    s -> s.getFields().forEach(f -> out.println(f.getName() + "  " + f.getType()
                            + (f.isNullable() ? "" : " not null"))),
                    () -> out.println("no table '" + name + "'; tables: " + catalog.tableNames()));
        } else {
            out.println("unknown command " + command + " (\\d, \\d NAME, \\history, \\q)");
        }
        return true;
    }

    private void execute(String sql) {
        history.add(sql);
        long start = System.nanoTime();
        try {
            WeftSql.PreparedQuery query = WeftSql.prepare(catalog, sql);
            List<String> columns = query.columnNames();
            List<List<String>> rows = new ArrayList<>();
            long total = 0;
            try (CloseableIterator<Row> it = query.bind().iterRows()) {
                while (it.hasNext()) {
                    Row r = it.next();
                    total++;
                    if (rows.size() < MAX_ROWS) {
                        List<String> cells = new ArrayList<>();
                        for (String c : columns) {
                            cells.add(String.valueOf(r.get(c)));
                        }
                        rows.add(cells);
                    }
                }
            }
            print(columns, rows);
            out.printf(Locale.ROOT, "(%d row%s%s, %.3f s)%n", total, total == 1 ? "" : "s",
                    total > rows.size() ? ", " + rows.size() + " shown" : "", (System.nanoTime() - start) / 1e9);
        } catch (SqlException e) {
            out.println("error: " + e.getMessage());
        } catch (WeftException e) {
            out.println("failed: " + e.getMessage());
        }
    }

    private void print(List<String> columns, List<List<String>> rows) {
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        out.println(line(columns, width));
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.println(rule);
        rows.forEach(r -> out.println(line(r, width)));
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            b.append(c == 0 ? "" : " | ").append(cells.get(c)).append(" ".repeat(width[c] - cells.get(c).length()));
        }
        return b.toString().stripTrailing();
    }
}

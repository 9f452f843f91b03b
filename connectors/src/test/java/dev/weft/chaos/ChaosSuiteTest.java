package dev.weft.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.data.DataContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos suite: seeded random pipelines on 1–4 virtual nodes with one random fault each (a node killed, a UDF
 * failing always or once, a constructor failing, the spill directory turning read-only, a tiny store). Every case
 * must end within its deadline with the exact answer or an error naming its fault, and leave no object, off-heap
 * byte or thread behind.
 *
 * <p>System properties: {@code weft.chaos.cases} (default 200), {@code weft.chaos.seed} (the first seed; default
 * fixed, {@code random} for a new one), {@code weft.chaos.replay} (comma-separated seeds to run instead),
 * {@code weft.chaos.deadlineSeconds} (per case, default 90), {@code weft.chaos.leakTolerance} (the share of cases
 * that may end with a leak, default 0; CI sets 0.01 while leaks after node kills are open). Each case's line is appended to
 * {@code target/chaos-progress.log} as it ends; the summary goes to {@code target/chaos-report.md}.
 */
@Tag("chaos")
class ChaosSuiteTest {
    static final long DEFAULT_FIRST_SEED = 20_261_207L;

    @Test
    void everyCaseEndsWithTheExactAnswerOrAClearErrorAndLeavesNothingBehind(@TempDir Path work) throws Exception {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        List<Long> seeds = seeds();
        Duration deadline = Duration.ofSeconds(Long.getLong("weft.chaos.deadlineSeconds", 90));
        List<ChaosRun.Outcome> outcomes = new ArrayList<>();
        long start = System.nanoTime();
        Path progress = Path.of("target", "chaos-progress.log");
        Files.createDirectories(progress.getParent());
        Files.deleteIfExists(progress);
        for (long seed : seeds) {
            ChaosCase c = ChaosCase.random(seed);
            ChaosRun.Outcome o = new ChaosRun(c, work, deadline).run();
            outcomes.add(o);
            String line = String.format("chaos %4d/%d %-13s %6d ms %s%n", outcomes.size(), seeds.size(), o.verdict(),
                    o.millis(), c.describe());
            if (!o.verdict().good) {
                line += "    " + o.detail().replace("\n", "\n    ") + "\n    replay: ./mvnw -pl connectors -am verify "
                        + "-Dtest=ChaosSuiteTest -Dsurefire.failIfNoSpecifiedTests=false -Dweft.chaos.replay=" + seed + "\n";
            }
            System.out.print(line);
            Files.writeString(progress, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (o.verdict() == ChaosRun.Verdict.HANG && o.detail().contains("close() did not return")) {
                break; // a cluster that cannot be closed holds the JVM's resources: later cases would not be fair
            }
            deleteQuietly(work.resolve("case-" + seed));
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        String report = report(outcomes, seconds);
        Path file = Path.of("target", "chaos-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report);
        System.out.println(report);
        // Leaks after some node kills are still open (docs/reliability.md): CI tolerates a bounded share of them,
        // reported with their seeds; the nightly profile tolerates none. Every other bad verdict fails at once.
        double leakTolerance = Double.parseDouble(System.getProperty("weft.chaos.leakTolerance", "0"));
        List<ChaosRun.Outcome> leaks = outcomes.stream().filter(o -> o.verdict() == ChaosRun.Verdict.LEAK).toList();
        boolean leaksTolerated = leaks.size() <= Math.floor(leakTolerance * outcomes.size());
        if (!leaks.isEmpty() && leaksTolerated) {
            System.out.println("chaos: " + leaks.size() + " leak(s) within the tolerance of " + leakTolerance
                    + " of the cases, seeds " + leaks.stream().map(o -> Long.toString(o.chaosCase().seed())).toList());
        }
        List<ChaosRun.Outcome> bad = outcomes.stream().filter(o -> !o.verdict().good)
                .filter(o -> !(leaksTolerated && o.verdict() == ChaosRun.Verdict.LEAK)).toList();
        assertTrue(bad.isEmpty(), bad.size() + " of " + outcomes.size() + " chaos cases failed; replay with "
                + "-Dweft.chaos.replay=" + bad.stream().map(o -> Long.toString(o.chaosCase().seed()))
                .collect(Collectors.joining(",")) + "\n" + bad.stream().map(o -> o.verdict() + " "
                + o.chaosCase().describe() + "\n  " + ChaosRun.abbreviate(o.detail(), 1500))
                .collect(Collectors.joining("\n")));
        assertTrue(outcomes.size() == seeds.size(), "ran " + outcomes.size() + " of " + seeds.size() + " cases");
    }

    private static List<Long> seeds() {
        String replay = System.getProperty("weft.chaos.replay", "").trim();
        if (!replay.isEmpty()) {
            return Arrays.stream(replay.split(",")).map(String::trim).map(Long::parseLong).toList();
        }
        int cases = Integer.getInteger("weft.chaos.cases", 200);
        String first = System.getProperty("weft.chaos.seed", "").trim();
        long seed = first.isEmpty() ? DEFAULT_FIRST_SEED
                : first.equals("random") ? System.nanoTime() : Long.parseLong(first);
        List<Long> seeds = new ArrayList<>(cases);
        for (int i = 0; i < cases; i++) {
            seeds.add(seed + i);
        }
        return seeds;
    }

    static String report(List<ChaosRun.Outcome> outcomes, long seconds) {
        Map<ChaosCase.Fault, Map<ChaosRun.Verdict, Integer>> table = new EnumMap<>(ChaosCase.Fault.class);
        Map<ChaosCase.Fault, Integer> struck = new EnumMap<>(ChaosCase.Fault.class);
        for (ChaosRun.Outcome o : outcomes) {
            table.computeIfAbsent(o.chaosCase().fault(), f -> new EnumMap<>(ChaosRun.Verdict.class))
                    .merge(o.verdict(), 1, Integer::sum);
            if (o.struck()) {
                struck.merge(o.chaosCase().fault(), 1, Integer::sum);
            }
        }
        StringBuilder sb = new StringBuilder("# Chaos run\n\n").append(outcomes.size()).append(" cases in ")
                .append(seconds).append(" s\n\n| fault | cases | struck before the end |");
        for (ChaosRun.Verdict v : ChaosRun.Verdict.values()) {
            sb.append(' ').append(v.name().toLowerCase().replace('_', ' ')).append(" |");
        }
        sb.append("\n|---|---|---|").append("---|".repeat(ChaosRun.Verdict.values().length)).append('\n');
        table.forEach((fault, counts) -> {
            int n = counts.values().stream().mapToInt(Integer::intValue).sum();
            sb.append("| ").append(fault).append(" | ").append(n).append(" | ").append(struck.getOrDefault(fault, 0))
                    .append(" |");
            for (ChaosRun.Verdict v : ChaosRun.Verdict.values()) {
                sb.append(' ').append(counts.getOrDefault(v, 0)).append(" |");
            }
            sb.append('\n');
        });
        Map<String, Integer> shapes = new TreeMap<>();
        outcomes.forEach(o -> shapes.merge(o.chaosCase().exchange() + " → " + o.chaosCase().sink(), 1, Integer::sum));
        sb.append("\nPipelines: ").append(shapes).append('\n');
        return sb.toString();
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left for @TempDir
                }
            });
        } catch (IOException e) {
            // left for @TempDir
        }
    }
}

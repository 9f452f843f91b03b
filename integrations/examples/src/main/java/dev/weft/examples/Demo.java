package dev.weft.examples;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo job: a recursive task graph, a burst of small tasks and a three-stage actor pipeline, each checked
 * against the same computation done on one thread, with what was done and how fast printed to {@code out}.
 */
public final class Demo {
    /** What to run: primes below {@code primeLimit}, {@code chunks} through the pipeline, a burst of {@code tasks}. */
    public record Settings(int primeLimit, int chunks, int tasks) {
        public Settings {
            if (primeLimit < 2 || chunks < 1 || tasks < 1) {
                throw new IllegalArgumentException("demo settings must be positive (primeLimit >= 2), got primeLimit="
                        + primeLimit + ", chunks=" + chunks + ", tasks=" + tasks);
            }
        }
    }

    /** What the demo computed, and the answers it was checked against. */
    public record Report(long primes, long expectedPrimes, int graphTasks, double graphTasksPerSecond,
                         double burstTasksPerSecond, long pipelineSum, long expectedPipelineSum,
                         double pipelineCallsPerSecond) {
        public boolean verified() {
            return primes == expectedPrimes && pipelineSum == expectedPipelineSum;
        }
    }

    private Demo() {
    }

    public static Report run(Weft weft, Settings settings, PrintStream out) {
        // Task graph: fan out over halves of the range, fan the counts back in.
        int graphTasks = PrimeCount.taskCount(0, settings.primeLimit());
        long start = System.nanoTime();
        long primes;
        try (ObjectRef<Long> root = weft.task(PrimeCount::count, 0, settings.primeLimit()).name("primes").remote()) {
            primes = root.get();
        }
        double graphSeconds = seconds(start);
        long expectedPrimes = PrimeCount.sieve(settings.primeLimit());
        out.printf("task graph:     %,d primes below %,d (sieve on one thread: %,d, %s) — %,d tasks in %.3f s, %,.0f tasks/s%n",
                primes, settings.primeLimit(), expectedPrimes, primes == expectedPrimes ? "match" : "MISMATCH",
                graphTasks, graphSeconds, graphTasks / graphSeconds);
        // (The graph's rate is bound by the prime testing each leaf does; the burst below measures task overhead.)

        // Burst: many tiny tasks submitted at once, then collected.
        start = System.nanoTime();
        List<ObjectRef<Integer>> refs = new ArrayList<>(settings.tasks());
        for (int i = 0; i < settings.tasks(); i++) {
            refs.add(weft.task(Demo::square, i % 1000).remote());
        }
        long burstSum = 0;
        for (ObjectRef<Integer> ref : refs) {
            burstSum += ref.get();
            ref.close();
        }
        double burstSeconds = seconds(start);
        out.printf("task burst:     %,d small tasks (sum of results %,d) in %.3f s, %,.0f tasks/s%n",
                settings.tasks(), burstSum, burstSeconds, settings.tasks() / burstSeconds);

        // Actor pipeline: generator -> filter -> summer; refs flow from stage to stage, not through the driver.
        ActorHandle<Pipeline.Generator> generator = weft.actor(Pipeline.Generator::new).name("demo-generator").remote();
        ActorHandle<Pipeline.Filter> filter = weft.actor(Pipeline.Filter::new).name("demo-filter").remote();
        ActorHandle<Pipeline.Summer> summer = weft.actor(Pipeline.Summer::new).name("demo-summer").remote();
        try {
            start = System.nanoTime();
            ObjectRef<Long> last = null;
            for (int c = 0; c < settings.chunks(); c++) {
                try (ObjectRef<int[]> chunk = generator.task(Pipeline.Generator::chunk, c).remote();
                     ObjectRef<int[]> kept = filter.task(Pipeline.Filter::multiplesOfThree, chunk).remote()) {
                    if (last != null) {
                        last.close();
                    }
                    last = summer.task(Pipeline.Summer::add, kept).remote();
                }
            }
            long chunksSummed = last.get();
            last.close();
            long sum;
            try (ObjectRef<Long> total = summer.task(Pipeline.Summer::sum).remote()) {
                sum = total.get();
            }
            double pipelineSeconds = seconds(start);
            long calls = 3L * settings.chunks() + 1;
            long expectedSum = Pipeline.expected(settings.chunks());
            out.printf("actor pipeline: %,d chunks of %,d numbers through 3 actors (%,d chunks summed), sum of squares of "
                            + "multiples of 3 = %,d (one thread: %,d, %s) — %,d calls in %.3f s, %,.0f calls/s%n",
                    settings.chunks(), Pipeline.CHUNK, chunksSummed, sum, expectedSum,
                    sum == expectedSum ? "match" : "MISMATCH", calls, pipelineSeconds, calls / pipelineSeconds);
            Report report = new Report(primes, expectedPrimes, graphTasks, graphTasks / graphSeconds,
                    settings.tasks() / burstSeconds, sum, expectedSum, calls / pipelineSeconds);
            out.println(report.verified() ? "demo: all results verified" : "demo: RESULTS DO NOT MATCH");
            return report;
        } finally {
            weft.kill(generator);
            weft.kill(filter);
            weft.kill(summer);
        }
    }

    /** The burst's task. */
    public static int square(int x) {
        return x * x;
    }

    private static double seconds(long startNanos) {
        return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
    }
}

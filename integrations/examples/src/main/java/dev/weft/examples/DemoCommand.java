package dev.weft.examples;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft demo}: a task graph and an actor pipeline on the embedded cluster, with what they did and how fast. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a task graph (recursive prime count) and an actor pipeline on an embedded cluster.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "2", description = "virtual nodes of the embedded cluster (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--cpus", defaultValue = "0", description = "CPUs per node (default: this machine's cores)")
    double cpus;

    @Option(names = "--limit", defaultValue = "5000000", description = "count primes below this (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--chunks", defaultValue = "2000", description = "chunks through the actor pipeline (default ${DEFAULT-VALUE})")
    int chunks;

    @Option(names = "--tasks", defaultValue = "100000", description = "empty tasks for the throughput burst (default ${DEFAULT-VALUE})")
    int tasks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (nodes < 1 || cpus < 0 || limit < 2 || chunks < 1 || tasks < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "need --nodes >= 1, --cpus >= 0, --limit >= 2, "
                    + "--chunks >= 1, --tasks >= 1; got --nodes " + nodes + " --cpus " + cpus + " --limit " + limit
                    + " --chunks " + chunks + " --tasks " + tasks);
        }
        double perNode = cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors();
        WeftConfig config = WeftConfig.builder().nodes(nodes, perNode).build();
        System.out.printf("Weft demo: embedded cluster of %d virtual nodes x %s CPUs%n", nodes, perNode);
        try (Weft weft = Weft.init(config)) {
            Demo.Report report = Demo.run(weft, new Demo.Settings(limit, chunks, tasks), System.out);
            return report.verified() ? 0 : 1;
        }
    }
}

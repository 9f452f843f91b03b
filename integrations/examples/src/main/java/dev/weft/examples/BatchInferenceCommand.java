package dev.weft.examples;

import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code weft demo}: the batch-inference job on an embedded cluster. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Batch inference on an embedded cluster: generate Parquet, read with a pushed-down filter, "
                + "score with an XGBoost model on an autoscaling actor pool, write Parquet, aggregate, print stats.")
final class BatchInferenceCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "2000000", description = "rows of input (default ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--data", defaultValue = "weft-demo-data", description = "where the input is generated once (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--out", description = "where the scores are written (replaced; default <data>/scores)")
    Path out;

    @Option(names = "--actors", defaultValue = "1,2", split = ",", description = "actor pool size min,max (default ${DEFAULT-VALUE})")
    int[] actors;

    @Option(names = "--batch-size", defaultValue = "8192", description = "rows per model call (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--nodes", defaultValue = "1", description = "virtual nodes of the embedded cluster (default ${DEFAULT-VALUE})")
    int nodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (actors.length != 2 || nodes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "need --actors MIN,MAX and --nodes >= 1; got --actors " + java.util.Arrays.toString(actors) + " --nodes " + nodes);
        }
        BatchInference.Settings settings;
        try {
            settings = new BatchInference.Settings(rows, data, out != null ? out : data.resolve("scores"), actors[0],
                    actors[1], batchSize);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf("Weft demo: batch inference on an embedded cluster of %d virtual node(s) x %d CPUs%n", nodes, cpus);
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(nodes, cpus).build())) {
            BatchInference.Report report = BatchInference.run(settings, System.out);
            return report.scoredRows() > 0 && report.accuracy() > 0.8 ? 0 : 1;
        }
    }
}

package dev.weft.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line: {@code start}, {@code status}, {@code stop} of a cluster, {@code job} on it; {@code run} of a program. */
@Command(name = "weft", mixinStandardHelpOptions = true, description = "Start, inspect and stop a Weft cluster; submit jobs; run a Weft program.",
        subcommands = {StartCommand.class, StatusCommand.class, StopCommand.class, JobCommand.class, RunCommand.class})
public final class WeftCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code (for tests and the launcher). */
    public static int run(String... args) {
        return new CommandLine(new WeftCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    System.err.println("weft " + cmd.getCommandName() + ": " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }
}

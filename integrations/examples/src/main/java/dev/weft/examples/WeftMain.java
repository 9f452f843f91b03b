package dev.weft.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line (run by the root {@code ./weft} launcher). Subcommands do the work. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "Weft 0.1.0-SNAPSHOT",
        description = "Weft: a dataflow engine for the JVM.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class WeftMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new WeftMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}

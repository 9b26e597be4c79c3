package dev.nabla.apps;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nabla} command: one entry point, a sub-command per course program. */
@Command(name = "nabla", mixinStandardHelpOptions = true, version = "nabla 0.1.0",
        description = "Neural networks from first principles on the JVM.",
        subcommands = {AutograderCommand.class, DigitsCommand.class, CaptioningCommand.class, TransferCommand.class,
            ClassifyCommand.class, PredictCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Nabla implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Nabla());
        cl.setParameterExceptionHandler((ex, args) -> {
            // A bad option is one line naming it, in the same form as the commands' own errors, and a pointer to
            // the help rather than the whole of it.
            CommandLine cmd = ex.getCommandLine();
            String name = cmd.getCommandSpec().qualifiedName();
            PrintWriter err = cmd.getErr();
            err.println(name + ": " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                err.println("Try '" + name + " --help' for the options.");
            }
            err.flush();
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // A user error (bad backend name, missing data) is one clear line, not a stack trace.
            cmd.getErr().println("nabla " + cmd.getCommandName() + ": " + ex.getMessage());
            return ex instanceof IllegalArgumentException || ex instanceof java.io.IOException ? 2 : 1;
        });
        return cl;
    }
}

package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.SweepFailedException;
import io.gradsweep.exec.Natives;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gradsweep <command>}: the entry point for java -jar, spark-submit and submit.sh alike. */
@Command(name = "gradsweep", mixinStandardHelpOptions = true, version = "gradsweep 0.1.0",
        description = "Systematic sweeps of gradient statistics (vanishing/exploding gradients) on Spark + DL4J.",
        subcommands = {RunCommand.class, PlanCommand.class, QueryCommand.class, ReportCommand.class,
                UiCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int INVALID_INPUT = 2;
    public static final int INTERNAL_ERROR = 4;

    public static void main(String[] args) {
        try {
            Natives.choose(); // before ND4J loads: which libnd4j build this JVM runs
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(INVALID_INPUT);
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it with captured writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.getSubcommands().get("query").getCommandSpec().usageMessage().description(QueryCommand.description());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (e instanceof InvalidInputException) {
                err.println(e.getMessage());
                return INVALID_INPUT;
            }
            if (e instanceof SweepFailedException) {
                err.println(e.getMessage());
                return INTERNAL_ERROR;
            }
            err.println("gradsweep: internal error: " + e);
            e.printStackTrace(err);
            return INTERNAL_ERROR;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(e.getMessage());
            cmd.getErr().println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return INVALID_INPUT;
        });
        cl.setExitCodeExceptionMapper(e -> e instanceof InvalidInputException ? INVALID_INPUT : INTERNAL_ERROR);
        return cl;
    }
}

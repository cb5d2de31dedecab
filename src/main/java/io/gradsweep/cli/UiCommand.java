package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.ResultViews;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.ui.UiServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradsweep ui}: the browser explorer over a results directory, until Ctrl-C. No Spark session starts. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = {"Explore a results directory in the browser: sweeps, heatmaps over two grid axes, one "
                + "trial's per-layer curves.", "Reads committed files with DuckDB and works offline."})
final class UiCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Mixin
    SharedOptions.Out out;

    @Mixin
    SharedOptions.UiAddress address;

    @Override
    public Integer call() throws Exception {
        int port = address.port();
        if (!SqlEngine.isLocal(out.root)) {
            throw new InvalidInputException("Cannot start explorer: '--out' is " + out.root + "; expected a local "
                    + "path (the explorer reads results with DuckDB)");
        }
        SparkClasspath.require("ui"); // Hadoop's FileSystem lists the committed parts
        ResultViews.select(out.root, null, new Configuration()); // no sweeps, a damaged part: exit 2 now
        CountDownLatch stopped = new CountDownLatch(1);
        try (UiServer server = UiServer.start(out.root, address.host(), port, null, 0)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            PrintWriter console = cmd.commandLine().getOut();
            console.printf("Explorer of %s at %s (Ctrl-C stops it)%n", out.root, server.url());
            console.flush();
            stopped.await();
        }
        return Main.OK;
    }
}

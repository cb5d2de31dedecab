package io.gradsweep.cli;

import io.gradsweep.analysis.Sessions;
import io.gradsweep.report.GridHeatmaps;
import io.gradsweep.report.ReportData;
import io.gradsweep.report.ReportGenerator;
import io.gradsweep.report.ReportLoader;
import io.gradsweep.report.ReportOptions;
import java.io.IOException;
import java.io.PrintWriter;

/** Loads with Spark, then draws without it: the session is closed before the (single-threaded) drawing starts. */
final class ReportRun {
    private ReportRun() {
    }

    static void run(ReportOptions options, PrintWriter console) throws IOException {
        GridHeatmaps.check(options.axes());
        long start = System.nanoTime();
        ReportData data;
        try (Sessions session = Sessions.open(options.master(), "gradsweep report")) {
            data = ReportLoader.load(session.spark(), options);
        }
        long loaded = System.nanoTime();
        ReportGenerator.Written written = ReportGenerator.write(data, options);
        console.printf("Report on sweep '%s' (%d trials): %s and %d PNG files (data %.1f s, charts %.1f s)%n",
                data.sweep(), data.trials().size(), written.html(), written.images().size(),
                (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9);
        console.flush();
    }
}

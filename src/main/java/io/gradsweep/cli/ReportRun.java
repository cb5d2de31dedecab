package io.gradsweep.cli;

import io.gradsweep.analysis.ResultSql;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.report.GridHeatmaps;
import io.gradsweep.report.ReportData;
import io.gradsweep.report.ReportGenerator;
import io.gradsweep.report.ReportLoader;
import io.gradsweep.report.ReportOptions;
import io.gradsweep.report.ReportTarget;
import java.io.IOException;
import java.io.PrintWriter;

/** Loads with the SQL engine, then draws without it: the engine is closed before the drawing, which uses every core. */
final class ReportRun {
    private ReportRun() {
    }

    static void run(ReportOptions options, SqlEngine engine, PrintWriter console) throws IOException {
        GridHeatmaps.check(options.axes());
        ReportTarget target = ReportTarget.check(options.to()); // before loading, which can take a minute
        if (!target.previous().isEmpty()) {
            console.printf("Replacing the earlier gradsweep report in %s (%d files)%n", options.to(),
                    target.previous().size());
        }
        long start = System.nanoTime();
        ReportData data;
        try (ResultSql db = ResultSql.open(engine, options.out(), options.sweep(), options.master(),
                "gradsweep report")) {
            data = ReportLoader.load(db, options);
        }
        long loaded = System.nanoTime();
        ReportGenerator.Written written = ReportGenerator.write(data, options, target);
        console.printf("Report on sweep '%s' (%d trials): %s and %d PNG files (data %.1f s, charts %.1f s)%n",
                data.sweep(), data.trials().size(), written.html(), written.images().size(),
                (loaded - start) / 1e9, (System.nanoTime() - loaded) / 1e9);
        console.flush();
    }
}

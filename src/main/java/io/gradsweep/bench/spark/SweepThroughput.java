package io.gradsweep.bench.spark;

import io.gradsweep.bench.CpuSpan;
import io.gradsweep.bench.SweepRun;
import io.gradsweep.spark.SweepConf;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Sweep throughput on an embedded local[n] session: what a user gets from n cores, Spark scheduling included. The
 * benchmark's only Spark code, kept here so that the production spark package never depends on the benchmark.
 */
public final class SweepThroughput {
    private SweepThroughput() {
    }

    /** The whole sweep, timed (wall and this process's CPU) from job submission to the last commit. */
    public static SweepRun run(SweepSpec spec, int cores, String out) throws IOException {
        SparkConf conf = SweepConf.of("local[" + cores + "]", "gradsweep bench").set("spark.ui.enabled", "false");
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            CpuSpan.Meter meter = CpuSpan.start();
            List<TrialOutcome> done = new SweepJob(spark, new PrintWriter(Writer.nullWriter()))
                    .run(spec, new SweepJob.Options(out, 0, Long.MAX_VALUE, true, false));
            return new SweepRun(done.size(), meter.stop());
        } finally {
            spark.stop();
        }
    }
}

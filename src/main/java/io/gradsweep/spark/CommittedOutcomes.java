package io.gradsweep.spark;

import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.TrialFailure;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The outcomes a sweep's committed trials table holds, rebuilt against the grid's configs: after --resume the
 * end-of-run summary is of the whole sweep, what ran before and what ran now, not of the remainder alone.
 */
final class CommittedOutcomes {
    private CommittedOutcomes() {
    }

    /** Every committed trial of {@code sweep} whose id is in {@code grid} (--resume refused any other), grid order. */
    static List<TrialOutcome> read(SparkSession spark, OutputLayout layout, String sweep, List<TrialConfig> grid,
                                   Configuration conf) throws IOException {
        List<Path> files = layout.committedFiles(Tables.TRIALS, sweep, conf);
        if (files.isEmpty()) {
            return List.of();
        }
        Map<String, TrialConfig> byId = grid.stream()
                .collect(Collectors.toMap(TrialConfig::trialId, Function.identity()));
        Map<String, TrialOutcome> read = spark.read().schema(SparkSchemas.of(Tables.TRIALS))
                .parquet(files.stream().map(Path::toString).toArray(String[]::new))
                .collectAsList().stream()
                .map(r -> outcome(r, byId.get(r.<String>getAs("trial_id"))))
                .collect(Collectors.toMap(TrialOutcome::trialId, Function.identity(), (a, b) -> a));
        return grid.stream().map(t -> read.get(t.trialId())).filter(o -> o != null).toList();
    }

    private static TrialOutcome outcome(Row r, TrialConfig config) {
        Double chance = r.getAs("chance");
        Double testLoss = r.getAs("test_loss");
        Double trainLoss = r.getAs("train_loss");
        // the chance level belongs to the evaluation the diagnosis judged: the test set's when there is one
        Evaluation train = trainLoss == null ? null
                : new Evaluation(trainLoss, r.getAs("train_accuracy"), testLoss == null ? chance : null);
        Evaluation test = testLoss == null ? null : new Evaluation(testLoss, r.getAs("test_accuracy"), chance);
        String error = r.getAs("error");
        TrialFailure failure = TrialOutcome.FAILED.equals(r.getAs("status"))
                ? new TrialFailure(Objects.requireNonNullElse(error, "unknown"),
                        Objects.requireNonNullElse(r.getAs("error_trace"), "")) : null;
        return new TrialOutcome(config, r.getAs("status"), train, test, r.<Long>getAs("iterations"),
                r.<Long>getAs("wall_ms"), r.getAs("diagnosis"), r.getAs("grad_ratio"), r.getAs("max_grad_l2"),
                failure);
    }
}

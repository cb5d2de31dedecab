package io.gradsweep.cli;

import io.gradsweep.spec.CostLimits;
import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.GridAxis;
import io.gradsweep.spec.SampleSpec;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.vector.Groups;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A dry run: validate the spec and show the trials it expands to, without Spark or training. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Validate a sweep spec and print its trials without training.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Sweep spec (YAML).")
    Path specFile;

    @Mixin
    SharedOptions.MaxTrials grid;

    @Option(names = "--rows", defaultValue = "50", description = "Trials to list (default ${DEFAULT-VALUE}); 0 lists all.")
    int rows;

    @Override
    public Integer call() {
        long maxTrials = grid.limit();
        SweepSpec spec = SpecParser.parse(specFile);
        List<TrialConfig> trials = Grid.expand(spec, maxTrials);
        CostLimits.require(spec, Groups.of(trials), CostLimits.Budget.thisJvm(), "plan sweep");
        long iterations = trials.stream().mapToLong(TrialConfig::totalIterations).sum();
        // T only for sequence data; arch names the model and its options (mlp, mlp+bn, cnn+skip, lstm).
        boolean steps = spec.dataset().sequence();
        List<String> header = new ArrayList<>(List.of("#", "trial_id"));
        header.addAll(GridAxis.consoleHeader(steps));
        header.add("iterations");
        PlanEstimate estimate = new PlanEstimate(trials);
        header.addAll(PlanEstimate.header());
        TextTable table = new TextTable(header.toArray(String[]::new));
        int shown = rows <= 0 ? trials.size() : Math.min(rows, trials.size());
        for (TrialConfig t : trials.subList(0, shown)) {
            List<Object> row = new ArrayList<>(List.of(t.index(), t.trialId()));
            row.addAll(GridAxis.consoleRow(t, steps));
            row.add(t.totalIterations());
            row.addAll(estimate.cells(t));
            table.add(row.toArray());
        }
        var out = cmd.commandLine().getOut();
        out.printf("Sweep '%s' on %s%n", spec.name(), spec.dataset().canonical());
        out.printf("%d trials, %d epochs x batch %d, %d iterations in total, stats every %d%n", trials.size(),
                spec.train().epochs(), spec.train().batchSize(), iterations, spec.stats().every());
        SampleSpec sample = spec.sample();
        if (sample != null) {
            int distinct = sample.points().size();
            out.printf("sampled: %s; %d grid point%s x %d distinct points%s%n", sample.describe(),
                    trials.size() / distinct, trials.size() / distinct == 1 ? "" : "s", distinct,
                    distinct < sample.n() ? " (" + (sample.n() - distinct) + " repeated draws dropped)" : "");
        }
        out.print(estimate.summary());
        if (steps && trials.stream().map(t -> t.dataset().length()).distinct().count() > 1) {
            out.println("T (sequence length) varies by trial (grid.sequence_length); the dataset's length above "
                    + "is only its default");
        }
        DataParallel dp = spec.train().dataParallel();
        if (dp != null) {
            long examples = spec.dataset().trainSize();
            out.printf("data-parallel, one trial at a time: %d workers, minibatch %d per worker, parameters averaged "
                    + "every %d; %d rounds per epoch (iterations count per worker), %d of %d minibatches skipped "
                    + "per epoch%n", dp.workers(), dp.batchSizePerWorker(), dp.averagingFrequency(),
                    dp.rounds(examples), dp.skippedMinibatches(examples), dp.minibatches(examples));
        }
        out.print(table);
        if (shown < trials.size()) {
            out.printf("... %d more (use --rows 0 to list all)%n", trials.size() - shown);
        }
        out.flush();
        return Main.OK;
    }
}

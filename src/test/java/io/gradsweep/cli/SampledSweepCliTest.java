package io.gradsweep.cli;

import static io.gradsweep.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Term;
import io.gradsweep.testing.Duck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sampled sweep plans its drawn values, runs, and resumes by its ids like a grid. */
class SampledSweepCliTest {
    @TempDir
    Path dir;

    @Test
    void theShippedSobolSweepPlansItsSampledRates() {
        CliTest.Result r = exec("plan", "conf/lr-edge-sobol.yaml", "--rows", "4");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("128 trials, 20 epochs x batch 32")
                .contains("sampled: 64 sobol points (seed 1) of learning_rate loguniform(0.0001,10); 2 grid points x "
                        + "64 distinct points")
                .containsPattern("\\n0  [0-9a-f]{12}  mlp   tanh +8 +16 +glorot_uniform  sgd +1\\.32844 ")
                .containsPattern("\\n1  [0-9a-f]{12}  mlp   tanh +8 +16 +glorot_uniform  adam +1\\.32844 ");
        CliTest.Result limited = exec("plan", "conf/lr-edge-sobol.yaml", "--max-trials", "100");
        assertThat(limited.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(limited.err().strip()).isEqualTo("Cannot expand grid: 'sample.n' is 64 with 2 grid points (128 "
                + "trials); expected at most 100 trials (raise the limit with --max-trials)");
    }

    @Test
    void aSampledSweepResumesByItsIds() throws Exception {
        Path spec = Files.writeString(dir.resolve("s.yaml"), """
                name: sampled
                dataset: {name: circles, samples: 40}
                train: {epochs: 1, batch_size: 8}
                grid: {activation: [tanh], depth: [2], width: [3]}
                sample: {n: 4, method: random, seed: 3, learning_rate: 'loguniform(1e-3, 1)'}
                """);
        Path out = dir.resolve("out");
        CliTest.Result plan = exec("plan", spec.toString(), "--rows", "0");
        assertThat(plan.out()).contains("sampled: 4 random points (seed 3) of learning_rate loguniform(0.001,1); "
                + "1 grid point x 4 distinct points");
        CliTest.Result run = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[1]");
        assertThat(run.code()).as(run.err()).isEqualTo(Main.OK);
        CliTest.Result again = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[1]",
                "--resume");
        assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
        assertThat(again.out()).contains("all 4 trials are already committed; nothing to run");
        // the committed rows are the planned trials with their drawn rates
        List<String> planned = plan.out().lines().filter(l -> l.matches("\\d+  [0-9a-f]{12} .*"))
                .map(l -> l.split(" +")).map(c -> c[1] + " " + c[8]).sorted().toList();
        List<String> committed = Duck.rows("SELECT trial_id, learning_rate FROM " + Duck.table(out, "trials"))
                .stream().map(r -> r.get(0) + " " + Term.number((Double) r.get(1))).sorted().toList();
        assertThat(planned).hasSize(4);
        assertThat(committed).isEqualTo(planned);
    }
}

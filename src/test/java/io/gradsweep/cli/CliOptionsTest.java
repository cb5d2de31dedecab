package io.gradsweep.cli;

import static io.gradsweep.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.cli.CliTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options out of range exit 2 naming the option, before Spark starts and before anything is written. */
class CliOptionsTest {
    @TempDir
    Path dir;

    /** A sweep of one short trial, so that a run the options fail to stop ends quickly. */
    private Path spec() throws IOException {
        return Files.writeString(dir.resolve("spec.yaml"), """
                name: opts
                dataset: {name: moons, samples: 32}
                train: {epochs: 1, batch_size: 16}
                grid: {activation: [relu], depth: [1], width: [2]}
                """);
    }

    private Result run(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", spec().toString(), "--out", dir.resolve("out").toString()));
        args.addAll(List.of(options));
        Result r = exec(args.toArray(String[]::new));
        assertThat(dir.resolve("out")).as(String.join(" ", options)).doesNotExist();
        return r;
    }

    @Test
    void tasksBelowOneAreRefusedWhereTheyWereTheDefault() throws IOException {
        for (String n : new String[] {"0", "-1"}) {
            Result r = run("--tasks", n, "--master", "local[1]");
            assertThat(r.code()).as(n).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo("Cannot run sweep: '--tasks' is " + n + "; expected a positive "
                    + "integer (leave it out for 4 tasks per core)");
        }
    }

    @Test
    void maxTrialsBelowOneIsRefusedNamingTheOption() throws IOException {
        for (String n : new String[] {"0", "-1"}) {
            String message = "Cannot expand grid: '--max-trials' is " + n + "; expected a positive integer";
            Result plan = exec("plan", spec().toString(), "--max-trials", n);
            assertThat(plan.code()).as(n).isEqualTo(Main.INVALID_INPUT);
            assertThat(plan.err().strip()).isEqualTo(message);
            Result r = run("--max-trials", n, "--master", "local[1]");
            assertThat(r.code()).as(n).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo(message);
        }
        assertThat(exec("plan", spec().toString(), "--max-trials", "1").code()).isEqualTo(Main.OK);
    }
}

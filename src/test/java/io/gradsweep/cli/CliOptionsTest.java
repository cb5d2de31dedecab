package io.gradsweep.cli;

import static io.gradsweep.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
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
    static final String LOCAL_FORMS = "; expected local, local[*], local[K] or local[K,F] with K threads (or *) and "
            + "F maxFailures, both positive integers";

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

    @Test
    void aLocalMasterSparkWouldRefuseIsRefusedBeforeSparkStarts() throws IOException {
        for (String url : new String[] {"local[0]", "local[0,2]", "local[2,0]", "local[x]", "local[]",
                "local[99999999999]"}) {
            Result r = run("--master", url);
            assertThat(r.code()).as(url).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo("Cannot start Spark: '--master' is '" + url + "'" + LOCAL_FORMS);
        }
        Result query = exec("query", "--out", dir.toString(), "--master", "local[0]", "SELECT 1");
        Result report = exec("report", "--out", dir.toString(), "--master", "local[0]", "--to", dir + "/report");
        for (Result r : List.of(query, report)) {
            assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo("Cannot start Spark: '--master' is 'local[0]'" + LOCAL_FORMS);
        }
        assertThat(dir.resolve("report")).doesNotExist();
    }

    @Test
    void theLocalFormsSparkTakesPassAndOtherMastersAreLeftToSpark() {
        for (String url : new String[] {"local", "local[*]", "local[1]", "local[16]", "local[2,3]", "local[*, 4]",
                "local[2147483647]", "local-cluster[2,1,1024]", "spark://host:7077", "yarn",
                "k8s://https://api:6443"}) {
            assertThat(SharedOptions.Master.check(url)).isEqualTo(url);
        }
        assertThat(SharedOptions.Master.check(null)).isNull();
        assertThatThrownBy(() -> SharedOptions.Master.check("local[-1]")).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot start Spark: '--master' is 'local[-1]'" + LOCAL_FORMS);
    }
}

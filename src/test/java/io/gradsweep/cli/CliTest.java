package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.analysis.Analyses;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI through picocli's execute, with captured output: exit codes and messages are part of the contract. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path spec(String text) throws IOException {
        Path p = dir.resolve("spec.yaml");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void planListsTrialsWithoutTraining() {
        Result r = exec("plan", "conf/circles-vanishing.yaml", "--rows", "2");
        assertThat(r.code()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("15 trials, 100 epochs x batch 32, 48000 iterations in total, stats every 1")
                .contains("7e9d781f2fca  mlp   sigmoid     4      5      normal(0,1)  rmsprop    0.001          none      1")
                .contains("... 13 more (use --rows 0 to list all)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void planOfARecurrentSweepShowsModelAndSequenceLength() {
        Result r = exec("plan", "conf/rnn-adding.yaml", "--rows", "0");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("6 trials, 24 epochs x batch 64, 3600 iterations in total, stats every 5")
                .containsPattern("#  trial_id +arch +T +activation")
                .containsPattern("\\n0  [0-9a-f]{12}  simple_rnn  10 +tanh")
                .containsPattern("\\n5  [0-9a-f]{12}  lstm +100 +tanh");
    }

    @Test
    void planOfADataParallelSweepSaysHowDl4jWillSplitEachEpoch() throws IOException {
        Path spec = spec(Files.readString(Path.of("conf/circles-vanishing.yaml")).replace("  batch_size: 32\n",
                "  batch_size: 32\n  mode: data-parallel\n  data_parallel: {workers: 3, averaging_frequency: 4}\n"));
        Result r = exec("plan", spec.toString(), "--rows", "1");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        // 1000 examples make 32 minibatches; rounds of 3 x 4 round down to 2, so 8 are skipped each epoch
        assertThat(r.out()).contains("15 trials, 100 epochs x batch 32, 12000 iterations in total, stats every 1")
                .contains("data-parallel, one trial at a time: 3 workers, minibatch 32 per worker, parameters "
                        + "averaged every 4; 2 rounds per epoch (iterations count per worker), 8 of 32 minibatches "
                        + "skipped per epoch");
    }

    @Test
    void invalidSpecExitsTwoWithTheKeyedMessageAndWritesNothing() throws IOException {
        Path spec = spec(Files.readString(Path.of("conf/circles-vanishing.yaml")).replace("[sigmoid, tanh, relu]",
                "[sigmoid, tanh, relux]"));
        Path out = dir.resolve("out");
        Result r = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[1]");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err().strip()).isEqualTo("Cannot parse spec: 'grid.activation[2]' is 'relux'; expected one of "
                + "sigmoid, tanh, relu, leakyrelu[(alpha)], elu[(alpha)], selu, softsign, softplus, linear, swish, gelu");
        assertThat(out).doesNotExist();
        assertThat(exec("plan", spec.toString()).code()).isEqualTo(Main.INVALID_INPUT);
    }

    @Test
    void tableSpecsArePlannedAndTheirErrorsExitTwoBeforeAnythingIsWritten() throws IOException {
        Path csv = Files.writeString(dir.resolve("t.csv"), "a,b,kind\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n");
        String text = """
                name: tab
                dataset: {name: table, path: '%s', label: kind, limit: 3}
                train: {epochs: 1, batch_size: 2}
                grid: {activation: [relu], depth: [1], width: [2]}
                """.formatted(csv);
        Result plan = exec("plan", spec(text).toString());
        assertThat(plan.code()).as(plan.err()).isEqualTo(Main.OK);
        assertThat(plan.out()).contains("Sweep 'tab' on table(samples=3,file=t.csv,label=kind,features=all,crc=")
                .contains("1 trials, 1 epochs x batch 2, 2 iterations in total");

        Path out = dir.resolve("out");
        Result r = exec("run", spec(text.replace("label: kind", "label: knd")).toString(), "--out", out.toString(),
                "--master", "local[1]");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err().strip()).isEqualTo("Cannot parse spec: 'dataset.label' is 'knd'; expected one of a, b, kind");
        assertThat(out).doesNotExist();
    }

    @Test
    void gridOverTheLimitAndBadOptionsExitTwo() {
        Result r = exec("plan", "conf/circles-vanishing.yaml", "--max-trials", "5");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err()).contains("Cannot expand grid: 'grid' has 15 trials; expected at most 5");
        Result bad = exec("run");
        assertThat(bad.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(bad.err()).contains("Missing required parameter: 'SPEC'");
        assertThat(exec("plan", "missing.yaml").err().strip())
                .isEqualTo("Cannot read spec: file 'missing.yaml' does not exist");
    }

    @Test
    void planAndRunRefuseASpecThatIsNotARegularFileOfAtMostTheYamlLimit() throws IOException {
        Path out = dir.resolve("out");
        Path big = Files.write(dir.resolve("big.yaml"), new byte[3 * 1024 * 1024 + 1]);
        for (String spec : new String[] {"/dev/zero", dir.toString(), big.toString()}) {
            String what = spec.equals("/dev/zero") ? "a character device" : spec.equals(big.toString())
                    ? "3145729 bytes" : "a directory";
            for (String[] args : new String[][] {{"plan", spec}, {"run", spec, "--out", out.toString()}}) {
                Result r = exec(args);
                assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.INVALID_INPUT);
                assertThat(r.err().strip()).isEqualTo("Cannot read spec: file '" + spec + "' is " + what
                        + "; expected a regular file of at most 3145728 bytes");
            }
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void sharedOptionsReadTheSameInEveryCommandThatTakesThem() {
        for (String command : new String[] {"run", "query", "report"}) {
            assertThat(help(command)).as(command)
                    .contains("--out=DIR Results root, any Hadoop FileSystem URI (default results).")
                    .contains("--master=URL Spark master; default: spark-submit's, else local"); // wraps before [*]
        }
        for (String command : new String[] {"run", "plan"}) {
            assertThat(help(command)).as(command)
                    .contains("--max-trials=N Largest grid accepted (default " + Grid.DEFAULT_MAX_TRIALS + ").");
        }
    }

    @Test
    void queryHelpNamesEveryViewAndEveryAnalysis() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine().setUsageHelpWidth(400); // no wrapping inside the lists
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("query", "--help")).isEqualTo(Main.OK);
        String help = out.toString();
        assertThat(between(help, "Views: ", " (one per output table)").split(", "))
                .containsExactlyElementsOf(Tables.ALL.stream().map(Table::name).toList())
                .contains("trials", "gradients", "epochs", "activations", "histograms", "timestep_gradients");
        assertThat(between(help, "Canned analyses: ", " (--list shows").split(", "))
                .containsExactlyElementsOf(Analyses.NAMES)
                .contains("layer-profile", "diagnosis", "leaderboard", "grid-effect", "workers", "timestep-ratio",
                        "activation-profile", "preact-profile");
        assertThat(help(null)).contains("query Run SQL over a results directory, or a canned analysis by name.");
    }

    @Test
    void benchHelpNamesEveryPart() {
        assertThat(help("bench")).contains("--skip=PART[,PART...] Parts to leave out: circles, mnist, rnn, torch, "
                + "engines, sweep, writer, heap.");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertThat(from).as("'" + start + "' in " + text).isNotNegative();
        return text.substring(from + start.length(), text.indexOf(end, from));
    }

    /** A command's help with line breaks and padding folded to single spaces, since picocli wraps at 80 columns. */
    static String help(String command) {
        Result r = command == null ? exec("--help") : exec(command, "--help");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        return r.out().replaceAll("\\s+", " ");
    }

    @Test
    void runWritesResultsPrintsASummaryAndRefusesASecondRun() throws IOException {
        Path spec = spec("""
                name: cli
                dataset: {name: moons, samples: 64, noise: 0.1}
                train: {epochs: 2, batch_size: 16}
                grid: {activation: [tanh, relu], depth: [2], width: [4], seed: [7]}
                """);
        Path out = dir.resolve("res");
        Result r = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[2]");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("[gradsweep] sweep 'cli': 2 trials in 2 tasks on local[2]")
                .contains("[gradsweep] trials 2/2 done").contains("Trials by status:    ok 2")
                .contains("Results: " + out
                        + "/{trials,gradients,epochs,activations,histograms,timestep_gradients}/sweep=cli/");
        assertThat(out.resolve("trials/sweep=cli")).isNotEmptyDirectory();

        Result again = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[2]");
        assertThat(again.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(again.err()).contains("results already exist").contains("--overwrite");
    }

    @Test
    void unwritableOutputFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Result r = exec("run", "conf/circles-vanishing.yaml", "--out", file + "/sub", "--master", "local[1]");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err()).startsWith("Cannot write results: '--out' is " + file + "/sub; expected a writable directory");
    }

    @Test
    void benchWritesItsMarkdownAndRefusesUnknownParts(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path md = dir.resolve("benchmarks.md");
        Result r = exec("bench", "--quick", "--skip", "mnist,rnn,torch,sweep,heap", "--write", md.toString());
        assertThat(r.code()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("[bench] circles: per-update time through DL4J, without and with statistics")
                .contains("[bench] circles: per-update time, vector, group of 64, without and with statistics");
        assertThat(Files.readString(md)).startsWith("# gradsweep benchmarks")
                .containsPattern("\\| circles \\| dl4j \\| [0-9.]+ \\([0-9.]+–[0-9.]+\\) \\| [0-9.]+ .*\\| [+-][0-9.]+% "
                        + "\\([+-][0-9.]+% to [+-][0-9.]+%\\) \\| – \\|")
                .containsPattern("\\| circles \\| vector, group of 64 \\| [0-9.]+ .*\\| [+-][0-9.]+% .*\\| – \\|")
                // the writer part: 64 trials x 32 updates x 10 tensors, every row read back
                .containsPattern("\\| 64 \\| 20,480 \\| [0-9.]+ \\| [0-9.]+ \\([0-9.]+–[0-9.]+\\), 2 runs \\| 20,480 \\|");
        Result bad = exec("bench", "--skip", "gpu");
        assertThat(bad.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(bad.err().strip()).isEqualTo("Cannot run benchmark: '--skip' is 'gpu'; expected one of circles, "
                + "mnist, rnn, torch, engines, sweep, writer, heap");
    }

    @Test
    void benchRefusesANamedPythonOrMnistThatIsNotThereBeforeTimingAnything() {
        Result python = exec("bench", "--python", dir + "/python3", "--skip", "mnist,rnn,engines,sweep,heap");
        assertThat(python.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(python.out()).doesNotContain("[bench]");
        assertThat(python.err().strip()).isEqualTo("Cannot run the PyTorch reference: '--python' is " + dir
                + "/python3; expected an executable file, or a command on PATH");
        Result mnist = exec("bench", "--mnist", dir.toString(), "--skip", "circles,rnn,torch,engines,sweep,heap");
        assertThat(mnist.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(mnist.err().strip()).isEqualTo("Cannot run the MNIST benchmark: '--mnist' is " + dir
                + "; expected a directory with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
    }
}

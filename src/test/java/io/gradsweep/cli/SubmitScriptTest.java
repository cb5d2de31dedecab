package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's own usage, which needs no jar: asked for, it is complete and exits 0; after a mistake, exit 2. */
class SubmitScriptTest {
    record Run(int code, String out, String err) {
    }

    static Run submit(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = "submit.sh";
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void helpIsCompleteAndExitsZero() throws Exception {
        Run help = submit("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("gradsweep launcher.\n").contains("--resume [--repair]")
                .contains("--max-trials N").contains("--engine auto|duckdb|spark").contains("COMMAND --help")
                .contains("GRADSWEEP_SPARK=4").endsWith("than spark-submit's is refused.\n");
        assertThat(help.err()).isEmpty();
        Run none = submit();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo(help.out());
    }

    /** What short_jvm_opts prints for report's arguments, from the sourced launcher. */
    static String shortOpts(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "bash";
        cmd[1] = "-c";
        cmd[2] = "source submit.sh; short_jvm_opts \"$@\"";
        cmd[3] = "submit-test";
        System.arraycopy(args, 0, cmd, 4, args.length);
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return out.strip();
    }

    @Test
    void reportOverLocalResultsGetsTheShortJvmFlagsAndSparkKeepsTheDefaults() throws Exception {
        String quick = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
        assertThat(shortOpts()).isEqualTo(quick);
        assertThat(shortOpts("--out", "/data/results", "--to", "r")).isEqualTo(quick);
        assertThat(shortOpts("--out=file:///data/results", "--engine", "duckdb")).isEqualTo(quick);
        assertThat(shortOpts("--out", "s3a://bucket/results")).isEmpty();
        assertThat(shortOpts("--out=hdfs://nn/results")).isEmpty();
        assertThat(shortOpts("--engine", "spark", "--out", "/data/results")).isEmpty();
        assertThat(shortOpts("--engine=spark")).isEmpty();
    }
}

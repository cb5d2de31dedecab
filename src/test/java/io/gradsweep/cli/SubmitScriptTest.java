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
                .endsWith("with Spark SQL.\n");
        assertThat(help.err()).isEmpty();
        Run none = submit();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo(help.out());
    }
}

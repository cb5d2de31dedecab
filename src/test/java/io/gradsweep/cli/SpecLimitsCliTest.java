package io.gradsweep.cli;

import static io.gradsweep.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gradsweep.spec.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Specs that cannot run are refused by plan and run alike, with exit 2 and nothing written. */
class SpecLimitsCliTest {
    @TempDir
    Path dir;

    private Path spec(String name, String grid) throws IOException {
        return Files.writeString(dir.resolve("spec.yaml"), """
                name: %s
                dataset: {name: circles, samples: 40}
                train: {epochs: 1, batch_size: 8}
                grid: {activation: [tanh], %s}
                """.formatted(name, grid));
    }

    @Test
    void aNetTooLargeForOneArrayIsRefusedBeforeAnythingTrains() throws IOException {
        Path spec = spec("huge", "depth: [1000], width: [100000]");
        Path out = dir.resolve("out");
        String expected = "'grid.width[0]' is 100000 with 'grid.depth[0]' 1000 (9990100300001 parameters per "
                + "trial); expected at most 2147483639 parameters per trial (the largest Java array; the statistics "
                + "copy each gradient into one)";
        CliTest.Result plan = exec("plan", spec.toString());
        assertThat(plan.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(plan.err().strip()).isEqualTo("Cannot plan sweep: " + expected);
        CliTest.Result run = exec("run", spec.toString(), "--out", out.toString(), "--master", "local[1]");
        assertThat(run.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(run.err().strip()).isEqualTo("Cannot run sweep: " + expected);
        assertThat(out).doesNotExist();
    }

    @Test
    void aNetOverTheHeapIsRefusedNamingTheHeap() throws IOException {
        // fits one array, but 900150001 parameters x 7 buffers (adam) x 4 bytes alone are 23.5 GiB
        long bytes = 4L * (900_150_001L * 7 + 2 * 8 * (2 + 60_000 + 1) + 40 * 2);
        assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "a test JVM with a heap this large is not the CI's");
        CliTest.Result plan = exec("plan", spec("wide", "depth: [2], width: [30000]").toString());
        assertThat(plan.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(plan.err().strip()).startsWith("Cannot plan sweep: 'grid.width[0]' is 30000 with 'grid.depth[0]' 2 "
                + "(900150001 parameters, an estimated 23.5 GiB per trial); expected at most ")
                .endsWith(", the max heap of this JVM (-Xmx)");
    }

    @Test
    void aSweepNameIsOnePathComponentOfAtMost255Bytes() throws IOException {
        String tooLong = "a".repeat(SweepSpec.MAX_NAME_LENGTH + 1);
        Path out = dir.resolve("out");
        Path spec = spec(tooLong, "depth: [1], width: [2]");
        String expected = "Cannot parse spec: 'name' is '" + "a".repeat(24) + "...' (202 characters); expected at "
                + "most 201 characters (it is part of path components such as sweep=<name>.lock, which local disks "
                + "and HDFS cap at 255 bytes)";
        for (String[] args : new String[][] {{"plan", spec.toString()},
                {"run", spec.toString(), "--out", out.toString(), "--master", "local[1]"}}) {
            CliTest.Result r = exec(args);
            assertThat(r.code()).as(args[0]).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo(expected);
        }
        assertThat(out).doesNotExist();
        assertThat(exec("plan", spec("a".repeat(300), "depth: [1], width: [2]").toString()).err())
                .contains("(300 characters); expected at most 201 characters");
    }

    @Test
    void theLongestNameAllowedRunsAndCommits() throws IOException {
        String name = "n".repeat(SweepSpec.MAX_NAME_LENGTH);
        Path out = dir.resolve("out");
        CliTest.Result r = exec("run", spec(name, "depth: [1], width: [2]").toString(), "--out", out.toString(),
                "--master", "local[1]");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        try (Stream<Path> parts = Files.list(out.resolve("trials").resolve("sweep=" + name))) {
            assertThat(parts.filter(p -> p.getFileName().toString().endsWith(".parquet"))).hasSize(1);
        }
        assertThat(out.resolve("_staging")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
                p -> assertThat(p).isEmptyDirectory());
    }
}

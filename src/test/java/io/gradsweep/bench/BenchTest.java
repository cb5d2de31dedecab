package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's plumbing; its numbers are never asserted, since timings on a shared machine are not tests. */
class BenchTest {
    @Test
    void timingIsTheMedianAndRangeOfTheRepeats() {
        Timing odd = Timing.of("x", new double[] {5, 1, 3});
        assertThat(odd.median()).isEqualTo(3);
        assertThat(odd.min()).isEqualTo(1);
        assertThat(odd.max()).isEqualTo(5);
        assertThat(Timing.of("y", new double[] {4, 1, 3, 2}).median()).isEqualTo(2.5);
        assertThat(odd.text()).isEqualTo("3.0 (1.0–5.0)");
    }

    @Test
    void readsThePythonReferenceLineByLineAndIgnoresOtherOutput(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("fake.py");
        Files.writeString(script, """
                import sys
                print("warming up")
                print('{"scenario": "circles", "stats": false, "median_us": 250.0, "min_us": 240.0, "max_us": 260.0, "repeats": 5, "torch": "1.13.0"}')
                print('{"scenario": "circles", "stats": true, "median_us": 480.0, "min_us": 470.0, "max_us": 500.0, "repeats": 5, "torch": "1.13.0"}')
                assert sys.argv[1:] == ["--iterations", "100", "--repeats", "5", "--scenario", "circles"], sys.argv
                """);
        TorchReference.Result r = TorchReference.run("python3", script, List.of("circles"), 100, 5);
        assertThat(r.unavailable()).isNull();
        assertThat(r.version()).isEqualTo("1.13.0");
        assertThat(r.timings().get("circles/stats").median()).isEqualTo(480.0);
        assertThat(r.timings().get("circles/nostats").max()).isEqualTo(260.0);

        BenchResults results = new BenchResults();
        results.torch = r;
        results.updates.put("circles/stats", new Timing("circles", 120, 110, 130, 3));
        results.updates.put("circles/nostats", new Timing("circles", 100, 90, 110, 3));
        assertThat(results.overhead("circles")).isCloseTo(0.2, within(1e-12));
        assertThat(results.torchRatio("circles/stats")).isCloseTo(0.25, within(1e-12));
        assertThat(BenchReport.markdown(results, "gradsweep bench"))
                .contains("| circles | 100.0 (90.0–110.0) | 120.0 (110.0–130.0) | +20.0% | 250.0 (240.0–260.0) "
                        + "| 480.0 (470.0–500.0) | 0.25× |")
                .contains("PyTorch 1.13.0 eager on 1 thread");
    }

    @Test
    void aMissingPythonOrScriptIsReportedNotThrown(@TempDir Path dir) throws Exception {
        assertThat(TorchReference.run("python3", dir.resolve("none.py"), List.of("circles"), 10, 1).unavailable())
                .isEqualTo("no " + dir.resolve("none.py"));
        Path script = Files.writeString(dir.resolve("broken.py"), "raise SystemExit('No module named torch')\n");
        assertThat(TorchReference.run("python3", script, List.of("circles"), 10, 1).unavailable())
                .isEqualTo("python3 exited 1: No module named torch");
    }

    @Test
    void timesRealUpdatesOfTheDemoTrial() {
        Timing t = TrialBench.perUpdate("circles", TrialBench.trial(TrialBench.CIRCLES.formatted(1, 1)), 2);
        assertThat(t.repeats()).isEqualTo(2);
        assertThat(t.min()).isPositive().isLessThanOrEqualTo(t.median());
        long[] heap = TrialBench.heapAfterGc(TrialBench.trial(TrialBench.CIRCLES.formatted(2, 1)));
        assertThat(heap[0]).isPositive().isLessThanOrEqualTo(heap[1]);
    }
}

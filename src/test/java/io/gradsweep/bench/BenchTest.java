package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.TrialConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                assert sys.argv[1:] == ["--repeats", "5", "--scenario", "circles:100", "--scenario", "mnist:7"], sys.argv
                """);
        TorchReference.Result r = TorchReference.run("python3", script, orderedIterations(), 5);
        assertThat(r.unavailable()).isNull();
        assertThat(r.version()).isEqualTo("1.13.0");
        assertThat(r.timings().get("circles/stats").median()).isEqualTo(480.0);
        assertThat(r.timings().get("circles/nostats").max()).isEqualTo(260.0);

        BenchResults.Overhead circles = new BenchResults.Overhead("circles", "dl4j", 1,
                new Timing("circles", 100, 90, 110, 3), new Timing("circles", 120, 110, 130, 3),
                Timing.of("ratio", new double[] {1.25, 1.2, 0.95}));
        BenchResults.Overhead mnist = new BenchResults.Overhead("mnist", "vector, group of 4", 4,
                new Timing("mnist", 10, 9, 11, 1), new Timing("mnist", 11, 10, 12, 1),
                Timing.of("ratio", new double[] {1.1}));
        BenchResults results = new BenchResults.Builder().torch(r).update(circles).update(mnist)
                .sweep(BenchResults.Throughput.of("64 trials, 3 epochs", Map.of(
                        // 60 trials in 36, 30, 40 s (100, 120, 90 per minute) with 1.1 cores busy, 0.1 stolen
                        1, List.of(run(36, 39.6, 3.6), run(30, 33, 3), run(40, 44, 4)),
                        // in 24, 15, 20 s (150, 240, 180 per minute) with 1.8, 1.9, 1.8 cores busy, none stolen
                        2, List.of(run(24, 43.2, 0), run(15, 28.5, 0), run(20, 36, 0)))))
                .sweep(BenchResults.Throughput.of("64 trials, 30 epochs",
                        Map.of(1, List.of(run(90, 90, Double.NaN))))).build(1.5);
        assertThat(circles.overhead()).isCloseTo(0.2, within(1e-12));
        assertThat(results.torchRatio(circles)).isCloseTo(0.25, within(1e-12));
        assertThat(results.torchRatio(mnist)).as("PyTorch did not run mnist").isNull();
        assertThat(BenchReport.markdown(results, "gradsweep bench"))
                .contains("| circles | dl4j | 100.0 (90.0–110.0) | 120.0 (110.0–130.0) | +20.0% (-5.0% to +25.0%) "
                        + "| 250.0 (240.0–260.0) | 480.0 (470.0–500.0) | 0.25× | – | – | – |")
                .contains("| mnist | vector, group of 4 | 10.0 (9.0–11.0) | 11.0 (10.0–12.0) | +10.0% (+10.0% to +10.0%) "
                        + "| – | – | – | – | – | – |")
                // Pairs are the runs of one round (150/100, 240/120, 180/90), not the medians' ratio (180/100);
                // per CPU-minute each pair's ratio over its cores-busy ratio, e.g. 1.5 / (1.8 / 1.1) = 0.92.
                .contains("| 64 trials, 3 epochs | 3 | 100.0 (90.0–120.0) | 180.0 (150.0–240.0) "
                        + "| 2.00× (1.50×–2.00×) | 1.10 / 1.80 | 0.10 / 0.00 | 1.16× (0.92×–1.22×) |")
                .contains("| 64 trials, 30 epochs | 1 | 40.0 (40.0–40.0) | – | – | 1.00 / – | – | – |")
                .contains("PyTorch 1.13.0 eager on 1 thread")
                .contains("Batched PyTorch peer (K circles trials as one computation, `bench/torch_batched.py`): "
                        + "not measured (not run)")
                .doesNotContain("Warning").doesNotContain("†");
        assertThatThrownBy(() -> results.notes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    /**
     * The batched peer's lines carry K, and each gradsweep row is compared with the peer at its own K. A peer on the
     * reference BLAS gets its ratios marked and the report warned; the other peer's ratios stay unmarked.
     */
    @Test
    void comparesEachRowWithTheBatchedPeerAtItsOwnKAndMarksTheReferenceBlas(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("batched.py");
        Files.writeString(script, """
                import sys
                assert sys.argv[1:] == ["--repeats", "3", "--updates", "640", "--k", "1", "--k", "64"], sys.argv
                for k, off, on in ((1, 200.0, 400.0), (64, 20.0, 25.0)):
                    for stats, us in ((False, off), (True, on)):
                        print('{"scenario": "circles", "k": %d, "stats": %s, "median_us": %s, "min_us": %s, '
                              '"max_us": %s, "repeats": 3, "torch": "1.13.0", "blas": "/usr/lib/blas/libblas.so.3", '
                              '"blas_kind": "reference"}' % (k, "true" if stats else "false", us, us - 1, us + 1))
                """);
        TorchReference.Result batched = TorchReference.batched("python3", script, List.of(1, 64), 640, 3, 0);
        assertThat(batched.unavailable()).isNull();
        assertThat(batched.referenceBlas()).isTrue();
        assertThat(batched.version()).isEqualTo("1.13.0 (BLAS: /usr/lib/blas/libblas.so.3)");
        assertThat(batched.timings()).containsOnlyKeys("circles/k1/nostats", "circles/k1/stats",
                "circles/k64/nostats", "circles/k64/stats");
        TorchReference.Result oneTrial = new TorchReference.Result(Map.of("circles/stats",
                new Timing("circles/stats", 500, 490, 510, 3)), "1.13.0 (BLAS: openblas)", null, "openblas");

        BenchResults.Overhead group = new BenchResults.Overhead("circles", "vector, group of 64", 64,
                new Timing("a", 30, 29, 31, 3), new Timing("b", 40, 39, 41, 3), Timing.of("r", new double[] {1.3}));
        BenchResults results = new BenchResults.Builder().torch(oneTrial).batched(batched).update(group)
                .engine("dl4j, one trial at a time", 1, new Timing("d", 1600, 1500, 1700, 3))
                .engine("vector, group of 16", 16, new Timing("v", 60, 55, 65, 3))
                .engine("vector, group of 64", 64, new Timing("w", 50, 45, 55, 3)).build(1);
        assertThat(results.batchedRatio(group)).isCloseTo(1.6, within(1e-12));
        String md = BenchReport.markdown(results, "gradsweep bench");
        assertThat(md)
                .contains("| circles | vector, group of 64 | 30.0 (29.0–31.0) | 40.0 (39.0–41.0) | +30.0% (+30.0% to "
                        + "+30.0%) | – | 500.0 (490.0–510.0) | 0.08× | 20.0 (19.0–21.0) | 25.0 (24.0–26.0) | 1.60×† |")
                .contains("| dl4j, one trial at a time | 1600.0 (1500.0–1700.0) | 3.20× | 4.00×† |")
                .contains("| vector, group of 16 | 60.0 (55.0–65.0) | 0.12× | – |")
                .contains("| vector, group of 64 | 50.0 (45.0–55.0) | 0.10× | 2.00×† |")
                .contains("> **Warning:** the batched PyTorch peer ran on the reference BLAS, whose matrix products are "
                        + "many times slower than OpenBLAS's; ratios to it are marked † and flatter gradsweep. Install "
                        + "OpenBLAS (`apt-get install libopenblas0-pthread` on Debian) and run the benchmark again.")
                .contains("Batched PyTorch peer (K circles trials as one computation, `bench/torch_batched.py`): "
                        + "1.13.0 (BLAS: /usr/lib/blas/libblas.so.3)");
    }

    /** The dropout scenario runs as a second batched process, and each dropout row meets its own peer. */
    @Test
    void theDropoutRowsMeetTheBatchedDropoutPeer(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("batched.py"), """
                import sys
                dropout = "--dropout" in sys.argv
                assert sys.argv[1:] == ["--repeats", "2", "--updates", "3200"] + (
                    ["--dropout", "0.2"] if dropout else []) + ["--k", "64"], sys.argv
                for stats, us in ((False, 30.0), (True, 50.0)):
                    print('{"scenario": "%s", "k": 64, "stats": %s, "median_us": %s, "min_us": %s, "max_us": %s, '
                          '"repeats": 2, "torch": "1.13.0", "blas": "b", "blas_kind": "openblas"}'
                          % ("circles-dropout" if dropout else "circles", "true" if stats else "false",
                             us + 10 * dropout, us, us + 20))
                """);
        List<String> steps = new ArrayList<>();
        TorchReference.Result batched = new TorchPeers(BenchInputs.Input.of("python3"), dir.resolve("none.py"),
                script, true, steps::add, new PrintWriter(new StringWriter())).batched(List.of(64), List.of(64));
        assertThat(batched.unavailable()).isNull();
        assertThat(batched.timings()).containsOnlyKeys("circles/k64/nostats", "circles/k64/stats",
                "circles-dropout/k64/nostats", "circles-dropout/k64/stats");
        assertThat(steps).last().isEqualTo("batched PyTorch peer with dropout 0.2, K = [64]");
        BenchResults.Overhead row = new BenchResults.Overhead("circles-dropout", "vector, group of 64", 64,
                new Timing("a", 40, 39, 41, 3), new Timing("b", 90, 89, 91, 3), Timing.of("r", new double[] {1.25}));
        BenchResults results = new BenchResults.Builder().torch(new TorchReference.Result(Map.of(), null, "none"))
                .batched(batched).update(row).build(1);
        assertThat(results.batchedRatio(row)).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void theConsoleWarnsAtOnceOfAPeerOnTheReferenceBlasAndNotOfOneOnOpenBlas(@TempDir Path dir) throws Exception {
        String line = "print('{\"scenario\": \"circles\", \"k\": 1, \"stats\": true, \"median_us\": 1.0, "
                + "\"min_us\": 1.0, \"max_us\": 1.0, \"repeats\": 1, \"torch\": \"1.13.0\", \"blas\": \"b\", "
                + "\"blas_kind\": \"%s\"}')\n";
        Path reference = Files.writeString(dir.resolve("reference.py"), line.formatted("reference"));
        Path openblas = Files.writeString(dir.resolve("openblas.py"), line.formatted("openblas"));
        StringWriter console = new StringWriter();
        List<String> steps = new ArrayList<>();
        BenchInputs.Input python = BenchInputs.Input.of("python3");
        new TorchPeers(python, dir.resolve("none.py"), openblas, true, steps::add, new PrintWriter(console))
                .batched(List.of(1), List.of());
        assertThat(console.toString()).isEmpty();
        TorchReference.Result r = new TorchPeers(python, dir.resolve("none.py"), reference, true, steps::add,
                new PrintWriter(console)).batched(List.of(1), List.of());
        assertThat(r.referenceBlas()).isTrue();
        assertThat(console.toString()).isEqualTo("[bench] WARNING: PyTorch runs on the reference BLAS (1.13.0 "
                + "(BLAS: b)); ratios to it are marked † and are not fair. Install OpenBLAS: apt-get install "
                + "libopenblas0-pthread" + System.lineSeparator());
        assertThat(steps).hasSize(2).allMatch(s -> s.startsWith("batched PyTorch peer, K = [1] (python3 "));
    }

    /** Two peer processes at once; the slower one's wall time is the peer's, and the report pairs the runs. */
    @Test
    void theEndToEndPeerIsItsSlowestProcessAndTheReportPairsTheRuns(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("sweep.py"), """
                import os, sys
                assert sys.argv[1:3] == ["--sweep", "32:5"], sys.argv
                n = len(os.listdir(sys.argv[0].rsplit("/", 1)[0]))
                open(sys.argv[0] + ".%d" % os.getpid(), "w").close()
                print('{"sweep": true, "trials": 32, "epochs": 5, "wall_s": %d.5, "torch": "1.13.0", "blas": "b", '
                      '"blas_kind": "openblas"}' % n)
                """);
        TorchReference.Result r = TorchReference.sweep("python3", script, 32, 5, 2);
        assertThat(r.unavailable()).isNull();
        assertThat(r.referenceBlas()).isFalse();
        try (var files = Files.list(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("sweep.py."))).hasSize(2);
        }
        // each process saw one or two files (the script, maybe the other's marker): 1.5 s or 2.5 s, the slower wins
        assertThat(r.timings().get("sweep").median()).isIn(1.5, 2.5);
        Path failing = Files.writeString(dir.resolve("fail.py"), "raise SystemExit('no torch')\n");
        assertThat(TorchReference.sweep("python3", failing, 32, 5, 2).unavailable())
                .isEqualTo("python3 exited 1: no torch");

        BenchResults results = new BenchResults.Builder().endToEnd(new BenchResults.EndToEnd(
                "64 circles trials, 100 epochs", Timing.of("g", new double[] {16, 15, 18}),
                Timing.of("t", new double[] {9, 8, 10}), Timing.of("r", new double[] {16 / 9.0, 15 / 8.0, 1.8}), true))
                .build(1);
        assertThat(BenchReport.markdown(results, "gradsweep bench")).contains("| 64 circles trials, 100 epochs | 3 | "
                + "16.0 (15.0–18.0) | 9.0 (8.0–10.0) | 1.80× (1.78×–1.88×)† |");
    }

    /** 60 trials in {@code wall} seconds, with this process's CPU seconds and the machine's stolen seconds. */
    private static SweepRun run(double wall, double cpu, double stolen) {
        return new SweepRun(60, new CpuSpan(wall, cpu, stolen));
    }

    @Test
    void readsStealTimeFromProcStatAndNaNWhereThereIsNone(@TempDir Path dir) throws Exception {
        Path stat = Files.writeString(dir.resolve("stat"),
                "cpu  7629993 0 366267 2736934 8278 0 10638 216332 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
        assertThat(CpuSpan.stolenSeconds(stat)).isEqualTo(2163.32);
        assertThat(CpuSpan.stolenSeconds(Files.writeString(dir.resolve("old"), "cpu 1 2 3 4\n"))).isNaN();
        assertThat(CpuSpan.stolenSeconds(dir.resolve("absent"))).isNaN();
    }

    @Test
    void aSpanCountsTheProcessCpuOfItsThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CpuSpan.Meter meter = CpuSpan.start();
        long began = threads.getCurrentThreadCpuTime();
        while (threads.getCurrentThreadCpuTime() - began < 200_000_000L) {
            Thread.onSpinWait(); // the clock read in the condition keeps the thread busy
        }
        CpuSpan span = meter.stop();
        assertThat(span.cpuSeconds()).as("at least this thread's 0.2 s").isGreaterThanOrEqualTo(0.2);
        assertThat(span.wallSeconds()).as("0.2 s of one thread's CPU take 0.2 s").isGreaterThanOrEqualTo(0.2);
        CpuSpan fixed = new CpuSpan(4, 6, 1);
        assertThat(fixed.coresBusy()).isEqualTo(1.5);
        assertThat(fixed.coresStolen()).isEqualTo(0.25);
        assertThatThrownBy(() -> new CpuSpan(0, 1, 0)).hasMessage("a span needs a positive wall time, got 0.0");
    }

    private static Map<String, Integer> orderedIterations() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("circles", 100);
        m.put("mnist", 7);
        return m;
    }

    @Test
    void armsTakeTurnsAfterADiscardedRound() {
        List<String> calls = new ArrayList<>();
        Map<String, double[]> samples = Turns.measure(List.of("a", "b"), 3, arm -> {
            calls.add(arm);
            return calls.size();
        });
        assertThat(calls).containsExactly("a", "b", "a", "b", "b", "a", "a", "b");
        assertThat(samples.get("a")).containsExactly(3, 6, 7);
        assertThat(samples.get("b")).containsExactly(4, 5, 8);
    }

    @Test
    void warmUpRunsUntilARoundSpendsLittleOfItsTimeCompiling() {
        long[] clock = {0};
        long[] compiled = {0};
        long[] perRun = {300, 100, 10, 5}; // ms of compilation while each round's two arms run
        List<String> calls = new ArrayList<>();
        int rounds = Turns.warmUp(List.of("a", "b"), arm -> {
            calls.add(arm);
            clock[0] += 500; // a round of two arms: 1 s of wall time
            compiled[0] += perRun[(calls.size() - 1) / 2];
            return 0;
        }, () -> compiled[0], () -> clock[0], 0.05, 6);
        assertThat(rounds).as("200 ms then 20 ms of compiling per second").isEqualTo(3);
        assertThat(calls).containsExactly("a", "b", "a", "b", "a", "b");
        calls.clear();
        compiled[0] = 0;
        assertThat(Turns.warmUp(List.of("a"), arm -> {
            calls.add(arm);
            clock[0] += 100;
            compiled[0] += 50;
            return 0;
        }, () -> compiled[0], () -> clock[0], 0.05, 4)).isEqualTo(4);
        assertThat(calls).hasSize(4);
    }

    @Test
    void aMissingPythonOrScriptIsReportedNotThrown(@TempDir Path dir) throws Exception {
        assertThat(TorchReference.run("python3", dir.resolve("none.py"), Map.of("circles", 10), 1).unavailable())
                .isEqualTo("no " + dir.resolve("none.py"));
        Path script = Files.writeString(dir.resolve("broken.py"), "raise SystemExit('No module named torch')\n");
        assertThat(TorchReference.run("python3", script, Map.of("circles", 10), 1).unavailable())
                .isEqualTo("python3 exited 1: No module named torch");
    }

    @Test
    void timesRealUpdatesThroughBothEnginesAndReadsTheHeap() {
        String yaml = TrialBench.CIRCLES.formatted(1, 1, TrialBench.seeds(3), 100);
        List<TrialConfig> group = TrialBench.trials(yaml);
        List<TrialConfig> quiet = TrialBench.trials(TrialBench.CIRCLES.formatted(1, TrialBench.NO_STATS,
                TrialBench.seeds(3), 100));
        assertThat(group).hasSize(3);
        for (TrialBench.Engine engine : TrialBench.Engine.values()) {
            BenchResults.Overhead o = TrialBench.statsOverhead("circles", "e", engine, quiet, group, 2);
            assertThat(o.without().name()).isEqualTo("e, no stats");
            assertThat(o.with().repeats()).isEqualTo(2);
            assertThat(o.with().min()).isPositive().isLessThanOrEqualTo(o.with().median());
            assertThat(o.pairedRatio().min()).isPositive();
        }
        CountingSink.HeapReading heap = TrialBench.heap(TrialBench.trials(TrialBench.CIRCLES.formatted(5, 1, "[1]",
                100)).get(0), 2);
        assertThat(heap.readings()).as("after epochs 1, 2 and 4").isEqualTo(3);
        assertThat(heap.afterFirstEpoch()).isPositive();
        assertThat(heap.last()).isPositive();
        assertThat(new CountingSink().heap()).isNull();
    }

    @Test
    void heapReadingsKeepTheFirstTheLargestAndTheLast() {
        long[] readings = {30, 50, 40, 20};
        int[] next = {0};
        CountingSink sink = new CountingSink(2, () -> readings[next[0]++]);
        for (int epoch = 1; epoch <= 7; epoch++) {
            sink.epoch(null); // the sink counts epochs and never reads the row
        }
        assertThat(next[0]).as("read after epochs 1, 2, 4 and 6").isEqualTo(4);
        assertThat(sink.heap()).isEqualTo(new CountingSink.HeapReading(30, 50, 20, 4));
        assertThat(sink.rows()).isEqualTo(7);
    }
}

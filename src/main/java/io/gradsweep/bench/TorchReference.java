package io.gradsweep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the PyTorch peers in {@code bench/} with a Python that has PyTorch, so the ratio to PyTorch is measured on the
 * same machine in the same run: {@code torch_reference.py} trains one trial at a time, {@code torch_batched.py} K
 * circles trials as one batched computation. Absent Python or PyTorch is not an error: the report then says so.
 */
public final class TorchReference {
    /** What {@code blas_kind} says when PyTorch computes on the reference BLAS: a ratio to it is not fair. */
    public static final String REFERENCE_BLAS = "reference";

    /**
     * Timings keyed "scenario/stats" or "scenario/nostats" (batched: "scenario/k64/stats"), the PyTorch version
     * with its BLAS library, and the kind of that BLAS ("openblas", "mkl", "reference", ...); or the reason there
     * are none.
     */
    public record Result(Map<String, Timing> timings, String version, String unavailable, String blasKind) {
        public Result(Map<String, Timing> timings, String version, String unavailable) {
            this(timings, version, unavailable, null);
        }

        /** True when PyTorch ran on the reference BLAS, whose products are many times slower than OpenBLAS's. */
        public boolean referenceBlas() {
            return REFERENCE_BLAS.equals(blasKind);
        }

        /** This result's timings and another's together; the other's reason when it has no timings. */
        public Result with(Result other) {
            if (other.unavailable() != null) {
                return other;
            }
            Map<String, Timing> both = new LinkedHashMap<>(timings);
            both.putAll(other.timings());
            return new Result(both, version, unavailable, blasKind);
        }

        /** A key of {@link #timings} for a batched run of {@code k} trials. */
        public static String batchedKey(String scenario, int k, boolean stats) {
            return scenario + "/k" + k + (stats ? "/stats" : "/nostats");
        }
    }

    private TorchReference() {
    }

    /**
     * One trial at a time. {@code iterations} maps each scenario to its own iteration count: an MNIST-sized
     * iteration costs some 50 times a circles one, so one count for both makes the reference take either too long
     * or too few samples.
     */
    public static Result run(String python, Path script, Map<String, Integer> iterations, int repeats) {
        List<String> args = new ArrayList<>(List.of("--repeats", String.valueOf(repeats)));
        iterations.forEach((s, n) -> args.addAll(List.of("--scenario", s + ":" + n)));
        return run(python, script, args);
    }

    /**
     * K circles trials as one computation, for each K; {@code updates} trial-updates per run (K per iteration).
     * With a positive {@code dropout}, the circles-dropout scenario at that drop probability.
     */
    public static Result batched(String python, Path script, List<Integer> ks, int updates, int repeats,
                                 double dropout) {
        List<String> args = new ArrayList<>(List.of("--repeats", String.valueOf(repeats), "--updates",
                String.valueOf(updates)));
        if (dropout > 0) {
            args.addAll(List.of("--dropout", String.valueOf(dropout)));
        }
        ks.forEach(k -> args.addAll(List.of("--k", String.valueOf(k))));
        return run(python, script, args);
    }

    /**
     * {@code processes} copies of the batched peer at once, each training {@code trialsEach} circles trials for
     * {@code epochs} epochs; the result's single timing, keyed "sweep", is the slowest copy's wall seconds from its
     * first update to its last evaluation (torch's import excluded, as the JVM's start is on gradsweep's side).
     */
    public static Result sweep(String python, Path script, int trialsEach, int epochs, int processes) {
        if (!Files.isRegularFile(script)) {
            return new Result(Map.of(), null, "no " + script);
        }
        List<Process> started = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                started.add(new ProcessBuilder(python, script.toString(), "--sweep", trialsEach + ":" + epochs)
                        .redirectErrorStream(true).start());
            }
            double slowest = 0;
            Result last = null;
            for (Process p : started) {
                last = collect(python, p);
                Timing t = last.timings().get("sweep");
                if (t == null) {
                    return last;
                }
                slowest = Math.max(slowest, t.median());
            }
            return new Result(Map.of("sweep", new Timing("sweep", slowest, slowest, slowest, 1)), last.version(),
                    null, last.blasKind());
        } catch (IOException e) {
            return new Result(Map.of(), null, "cannot run " + python + ": " + e.getMessage());
        } finally {
            started.forEach(Process::destroy);
        }
    }

    private static Result run(String python, Path script, List<String> args) {
        if (!Files.isRegularFile(script)) {
            return new Result(Map.of(), null, "no " + script);
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(args);
        try {
            return collect(python, new ProcessBuilder(command).redirectErrorStream(true).start());
        } catch (IOException e) {
            return new Result(Map.of(), null, "cannot run " + python + ": " + e.getMessage());
        }
    }

    /** Reads a peer's JSON lines until it exits; any other output is kept for the reason when it fails. */
    private static Result collect(String python, Process p) throws IOException {
        try {
            Map<String, Timing> timings = new LinkedHashMap<>();
            String version = null;
            String blasKind = null;
            StringBuilder other = new StringBuilder();
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.startsWith("{")) {
                        other.append(line).append('\n');
                        continue;
                    }
                    JsonNode n = json.readTree(line);
                    if (n.has("wall_s")) {
                        double s = n.get("wall_s").asDouble();
                        timings.put("sweep", new Timing("sweep", s, s, s, 1));
                    } else {
                        boolean stats = n.get("stats").asBoolean();
                        String key = n.has("k") ? Result.batchedKey(n.get("scenario").asText(), n.get("k").asInt(),
                                stats) : n.get("scenario").asText() + (stats ? "/stats" : "/nostats");
                        timings.put(key, new Timing(key, n.get("median_us").asDouble(), n.get("min_us").asDouble(),
                                n.get("max_us").asDouble(), n.get("repeats").asInt()));
                    }
                    version = n.get("torch").asText()
                            + (n.has("blas") ? " (BLAS: " + n.get("blas").asText() + ")" : "");
                    blasKind = n.has("blas_kind") ? n.get("blas_kind").asText() : null;
                }
            }
            int code = p.waitFor();
            if (code != 0 || timings.isEmpty()) {
                String why = other.toString().strip();
                return new Result(Map.of(), null, python + " exited " + code + ": "
                        + why.substring(Math.max(0, why.length() - 300)));
            }
            return new Result(timings, version, null, blasKind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Map.of(), null, "interrupted");
        }
    }
}

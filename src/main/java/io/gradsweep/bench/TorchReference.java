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
 * Runs {@code bench/torch_reference.py} with a Python that has PyTorch, so the ratio to PyTorch is measured on the
 * same machine in the same run. Absent Python or PyTorch is not an error: the report then says so.
 */
public final class TorchReference {
    /** Timings keyed "scenario/stats" or "scenario/nostats", plus the PyTorch version; or the reason there are none. */
    public record Result(Map<String, Timing> timings, String version, String unavailable) {
    }

    private TorchReference() {
    }

    /**
     * {@code iterations} maps each scenario to its own iteration count: an MNIST-sized iteration costs some 50
     * times a circles one, so one count for both makes the reference take either too long or too few samples.
     */
    public static Result run(String python, Path script, Map<String, Integer> iterations, int repeats) {
        if (!Files.isRegularFile(script)) {
            return new Result(Map.of(), null, "no " + script);
        }
        List<String> command = new ArrayList<>(List.of(python, script.toString(), "--repeats",
                String.valueOf(repeats)));
        iterations.forEach((s, n) -> command.addAll(List.of("--scenario", s + ":" + n)));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            Map<String, Timing> timings = new LinkedHashMap<>();
            String version = null;
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
                    String key = n.get("scenario").asText() + (n.get("stats").asBoolean() ? "/stats" : "/nostats");
                    timings.put(key, new Timing(key, n.get("median_us").asDouble(), n.get("min_us").asDouble(),
                            n.get("max_us").asDouble(), n.get("repeats").asInt()));
                    version = n.get("torch").asText()
                            + (n.has("blas") ? " (BLAS: " + n.get("blas").asText() + ")" : "");
                }
            }
            int code = p.waitFor();
            if (code != 0 || timings.isEmpty()) {
                String why = other.toString().strip();
                return new Result(Map.of(), null, python + " exited " + code + ": "
                        + why.substring(Math.max(0, why.length() - 300)));
            }
            return new Result(timings, version, null);
        } catch (IOException e) {
            return new Result(Map.of(), null, "cannot run " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Map.of(), null, "interrupted");
        }
    }
}

package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradsweep.data.IdxHeaders;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.TrialConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch reference times the networks of gradsweep's rows: every scenario's trainable tensors have DL4J's
 * sizes, and its batch and example shape are the spec's. Needs a Python with PyTorch (python3 on PATH or
 * /usr/bin/python3) and is skipped without one; about 10 s, most of it importing torch.
 */
class TorchReferenceShapesTest {
    private static final Path SCRIPT = Path.of("bench/torch_reference.py");
    /** DL4J keeps batch norm's running statistics in its parameter table; PyTorch keeps them as buffers. */
    private static final List<String> RUNNING = List.of("_mean", "_var", "_log10stdev");

    @Test
    void everyScenarioHasTheTensorsBatchAndInputsOfItsGradsweepRow(@TempDir Path mnist) throws Exception {
        String python = pythonWithTorch();
        assumeTrue(python != null, "no Python with PyTorch");
        IdxHeaders.mnist(mnist, 10_000);
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("circles", TrialBench.CIRCLES.formatted(1, 1, "[1]", 1000));
        specs.put("circles-dropout", TrialBench.CIRCLES_DROPOUT.formatted(1, 1, "[1]", 1000));
        specs.put("mnist-bn", TrialBench.MNIST_BN.formatted(1, 1, "[1]", mnist.toString()));
        specs.put("cnn", TrialBench.CNN.formatted(1, 1, "[1]", mnist.toString()));
        specs.put("cnn-bn", TrialBench.CNN_BN.formatted(1, 1, "[1]", mnist.toString()));
        specs.put("rnn", TrialBench.RNN.formatted(1, 1, "[1]"));
        specs.put("lstm", TrialBench.LSTM.formatted(1, 1, "[1]"));
        List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString(), "--describe"));
        specs.keySet().forEach(s -> command.addAll(List.of("--scenario", s)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = out.lines().filter(l -> l.startsWith("{")).map(l -> read(json, l)).toList();
        assertThat(lines).extracting(n -> n.get("scenario").asText()).containsExactlyElementsOf(specs.keySet());
        for (JsonNode n : lines) {
            String scenario = n.get("scenario").asText();
            TrialConfig t = TrialBench.trials(specs.get(scenario)).get(0);
            DatasetSpec d = t.dataset();
            List<Long> theirs = new ArrayList<>(ints(n.get("tensors")));
            Map<String, Long> ours = dl4jTensors(t);
            if (d.sequence()) {
                // PyTorch's b_hh, beside b_ih: the one tensor DL4J's recurrent layers do not have
                assertThat(theirs.remove(ours.get("layer0_b"))).as(scenario + " has b_hh").isTrue();
            }
            assertThat(theirs).as(scenario + " tensor sizes").containsExactlyInAnyOrderElementsOf(ours.values());
            assertThat(dropped(n.get("dropout"))).as(scenario + " dropout").isEqualTo(dl4jDropout(t));
            assertThat(n.get("batch").asInt()).as(scenario + " batch").isEqualTo(t.train().batchSize());
            long perExample = ints(n.get("example")).stream().reduce(1L, (a, b) -> a * b);
            assertThat(perExample).as(scenario + " inputs per example")
                    .isEqualTo((long) d.numFeatures() * Math.max(1, d.length()));
            if (d.sequence()) {
                assertThat(ints(n.get("example"))).containsExactly((long) d.length(), (long) d.numFeatures());
            }
            if (!scenario.equals("mnist-bn")) { // the MLP's reference draws 8,000 examples, its row reads 2,000
                assertThat(n.get("samples").asInt()).as(scenario + " examples").isEqualTo(d.trainSize());
            }
        }
    }

    /** Element counts of the trainable parameters by DL4J's name (layer0_W, layer0_RW, layer0_b, out_W, ...). */
    private static Map<String, Long> dl4jTensors(TrialConfig t) {
        DatasetSpec d = t.dataset();
        Map<String, Long> sizes = new LinkedHashMap<>();
        NetworkFactory.build(t, d.numFeatures(), d.numClasses()).paramTable().forEach((name, values) -> {
            if (RUNNING.stream().noneMatch(name::endsWith)) {
                sizes.put(name, values.length());
            }
        });
        return sizes;
    }

    /** "layer index=drop probability" for every DL4J layer that drops its input (DL4J keeps the retain one). */
    private static List<String> dl4jDropout(TrialConfig t) {
        DatasetSpec d = t.dataset();
        List<String> dropped = new ArrayList<>();
        if (NetworkFactory.build(t, d.numFeatures(), d.numClasses()).model() instanceof MultiLayerNetwork net) {
            for (int i = 0; i < net.getnLayers(); i++) {
                if (net.getLayerWiseConfigurations().getConf(i).getLayer().getIDropout() instanceof Dropout drop) {
                    dropped.add(i + "=" + (float) (1 - drop.getP()));
                }
            }
        }
        return dropped;
    }

    private static List<String> dropped(JsonNode pairs) {
        return StreamSupport.stream(pairs.spliterator(), false)
                .map(p -> p.get(0).asInt() + "=" + (float) p.get(1).asDouble()).toList();
    }

    private static List<Long> ints(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asLong).toList();
    }

    private static JsonNode read(ObjectMapper json, String line) {
        try {
            return json.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(line, e);
        }
    }

    /** The first of python3 on PATH and /usr/bin/python3 that imports torch, or null. */
    private static String pythonWithTorch() throws InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return null;
    }
}

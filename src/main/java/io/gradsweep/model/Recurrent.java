package io.gradsweep.model;

import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.TrialConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Stacked recurrent nets for sequence regression, as ComputationGraphs: vertices {@code layer0 .. layer<d-1>} (each
 * a SimpleRnn or LSTM inside a {@link TimestepProbe}), {@code last} (the top layer's output at the last step) and
 * {@code out}, one linear unit with mean squared error. A graph rather than a MultiLayerNetwork with DL4J's
 * LastTimeStep wrapper, because the graph hands listeners every recurrent layer's whole output sequence.
 *
 * <p>DL4J's LSTM is the peephole-free variant (Keras's); its forget-gate biases start at 1, as with Keras's
 * {@code unit_forget_bias}; the trial's activation is the cell and output activation, gates are sigmoid.
 */
final class Recurrent {
    private Recurrent() {
    }

    static Network build(TrialConfig t, int numFeatures) {
        GraphBuilder graph = NetworkFactory.base(t).graphBuilder().addInputs("in")
                .setInputTypes(InputType.recurrent(numFeatures));
        Map<String, Integer> owners = new HashMap<>();
        Map<String, Integer> activations = new HashMap<>();
        List<String> names = new ArrayList<>();
        String last = "in";
        int in = numFeatures;
        List<Integer> widths = t.architecture().widths();
        for (int i = 0; i < widths.size(); i++) {
            BaseRecurrentLayer.Builder<?> layer = t.architecture().model().equals(Architecture.LSTM)
                    ? new LSTM.Builder() : new SimpleRnn.Builder();
            layer.nIn(in).nOut(widths.get(i)).activation(NetworkFactory.activation(t));
            NetworkFactory.decay(t, layer);
            String name = "layer" + i;
            graph.addLayer(name, new TimestepProbe(layer.build()), last);
            owners.put(name, i);
            activations.put(name, i);
            names.add(name);
            last = name;
            in = widths.get(i);
        }
        graph.addVertex("last", new LastTimeStepVertex("in"), last);
        graph.addLayer("out", NetworkFactory.output(t, in, 0), "last");
        owners.put("out", widths.size());
        graph.setOutputs("out");
        ComputationGraph net = new ComputationGraph(graph.build());
        net.init();
        List<TimestepProbe.Instance> probes = names.stream()
                .map(n -> (TimestepProbe.Instance) net.getLayer(n)).toList();
        return new Network(net, owners, activations, probes);
    }
}

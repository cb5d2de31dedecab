package io.gradsweep.model;

import io.gradsweep.spec.TrialConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * Networks with identity skip connections, and the MNIST CNN, as ComputationGraphs. Hidden layer (or block) i is
 * {@code h_i = f_i(h_{i-1}) + h_{i-1}} for every i >= 1 when residual, where f_i is dense or 3x3 conv, optionally
 * batch-normalized, then the activation: the activation is applied before the addition, so the skip path is a pure
 * identity. The first layer has no skip since its input has another width.
 *
 * <p>Vertex names {@code layer<i>}, {@code bn<i>}, {@code act<i>}, {@code add<i>}, {@code pool} and {@code out}.
 */
final class Graphs {
    private Graphs() {
    }

    static Network residualMlp(TrialConfig t, int numFeatures, int numClasses) {
        Builder b = new Builder(t, InputType.feedForward(numFeatures));
        List<Integer> widths = t.architecture().widths();
        int in = numFeatures;
        for (int i = 0; i < widths.size(); i++) {
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(widths.get(i));
            b.block(i, dense, widths.get(i));
            in = widths.get(i);
        }
        return b.finish(NetworkFactory.output(t, in, numClasses), null);
    }

    /**
     * A small ResNet-style MNIST model: block 0 is a stride-2 3x3 conv stem (28x28 to 14x14), every further block a
     * same-padded 3x3 conv, then global average pooling and the softmax layer. Widths are channel counts.
     */
    static Network cnn(TrialConfig t, int numClasses) {
        Builder b = new Builder(t, InputType.convolutionalFlat(28, 28, 1));
        List<Integer> widths = t.architecture().widths();
        for (int i = 0; i < widths.size(); i++) {
            ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(3, 3).stride(i == 0 ? 2 : 1, i == 0 ? 2 : 1)
                    .convolutionMode(ConvolutionMode.Same).nOut(widths.get(i));
            b.block(i, conv, widths.get(i));
        }
        int channels = widths.get(widths.size() - 1);
        return b.finish(NetworkFactory.output(t, channels, numClasses),
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    }

    /** Accumulates the graph and the logical-layer maps. */
    private static final class Builder {
        private final TrialConfig t;
        private final GraphBuilder graph;
        private final Map<String, Integer> owners = new HashMap<>();
        private final Map<String, Integer> activations = new HashMap<>();
        private String last = "in";

        Builder(TrialConfig t, InputType input) {
            this.t = t;
            this.graph = NetworkFactory.base(t).graphBuilder().addInputs("in").setInputTypes(input);
        }

        <B extends BaseLayer.Builder<B>> void block(int i, B layer, int width) {
            boolean bn = t.architecture().batchNorm();
            layer.activation(bn ? new ActivationIdentity() : NetworkFactory.hiddenActivation(t));
            NetworkFactory.decay(t, layer);
            String input = last;
            add("layer" + i, i, (i > 0 ? NetworkFactory.dropout(t, layer) : layer).build(), input);
            if (bn) {
                add("bn" + i, i, NetworkFactory.batchNorm(t, width), "layer" + i);
                add("act" + i, i, new ActivationLayer.Builder().activation(NetworkFactory.hiddenActivation(t)).build(),
                        "bn" + i);
            }
            activations.put(last, i);
            if (t.architecture().residual() && i > 0) {
                graph.addVertex("add" + i, new ElementWiseVertex(ElementWiseVertex.Op.Add), last, input);
                last = "add" + i;
            }
        }

        private void add(String name, int owner, org.deeplearning4j.nn.conf.layers.Layer layer, String input) {
            graph.addLayer(name, layer, input);
            owners.put(name, owner);
            last = name;
        }

        Network finish(org.deeplearning4j.nn.conf.layers.Layer output, GlobalPoolingLayer pool) {
            int depth = t.architecture().depth();
            if (pool != null) {
                graph.addLayer("pool", pool, last);
                last = "pool";
            }
            add("out", depth, output, last);
            graph.setOutputs("out");
            ComputationGraph net = new ComputationGraph(graph.build());
            net.init();
            return new Network(net, owners, activations);
        }
    }
}

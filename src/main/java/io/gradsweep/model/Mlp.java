package io.gradsweep.model;

import io.gradsweep.spec.TrialConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * A plain MLP as a MultiLayerNetwork. With batch normalization every hidden layer becomes three DL4J layers,
 * dense (linear) → BatchNormalization → activation, the placement of Ioffe and Szegedy (2015).
 */
final class Mlp {
    private Mlp() {
    }

    static Network build(TrialConfig t, int numFeatures, int numClasses) {
        NeuralNetConfiguration.ListBuilder list = NetworkFactory.base(t).list();
        Map<String, Integer> owners = new HashMap<>();
        Map<String, Integer> activations = new HashMap<>();
        boolean bn = t.architecture().batchNorm();
        List<Integer> widths = t.architecture().widths();
        int in = numFeatures;
        int index = 0;
        for (int i = 0; i < widths.size(); i++) {
            int w = widths.get(i);
            DenseLayer.Builder dense = new DenseLayer.Builder().nIn(in).nOut(w)
                    .activation(bn ? new ActivationIdentity() : NetworkFactory.hiddenActivation(t));
            NetworkFactory.decay(t, dense);
            owners.put(String.valueOf(index), i);
            list.layer(index++, (i > 0 ? NetworkFactory.dropout(t, dense) : dense).build());
            if (bn) {
                owners.put(String.valueOf(index), i);
                list.layer(index++, NetworkFactory.batchNorm(t, w));
                list.layer(index++,
                        new ActivationLayer.Builder().activation(NetworkFactory.hiddenActivation(t)).build());
            }
            activations.put(String.valueOf(index - 1), i);
            in = w;
        }
        owners.put(String.valueOf(index), widths.size());
        list.layer(index, NetworkFactory.output(t, in, numClasses));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return new Network(net, owners, activations);
    }
}

package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent group's starting point, taken from each trial's own DL4J graph: its flat parameters (so seeds and
 * initializers are exactly DL4J's), the param table's order and names for the layout, and the activation and loss
 * objects DL4J trains with (an LSTM's gate activation too; null for SimpleRnn).
 */
record SeqStart(SeqShape shape, IActivation hidden, IActivation gate, SeqOutput output) {

    static SeqStart of(List<TrialConfig> trials, Dataset train) {
        float[] initial = null;
        ParamLayout base = null;
        Map<String, Integer> offsets = new HashMap<>();
        IActivation hidden = null;
        IActivation gate = null;
        BaseOutputLayer out = null;
        int perTrial = 0;
        for (int k = 0; k < trials.size(); k++) {
            Network net = NetworkFactory.build(trials.get(k), train.numFeatures(), 0);
            ComputationGraph graph = (ComputationGraph) net.model();
            float[] values = graph.params().toFloatVector();
            if (k == 0) {
                perTrial = values.length;
                initial = new float[perTrial * trials.size()];
                base = ParamLayout.of(net.paramTable(), net.paramOwners());
                int at = 0;
                for (Map.Entry<String, INDArray> e : net.paramTable().entrySet()) {
                    offsets.put(e.getKey(), at);
                    at += (int) e.getValue().length();
                }
                // The probe instantiates its layer with the wrapped layer's own configuration.
                BaseLayer layer = (BaseLayer) graph.getLayer("layer0").conf().getLayer();
                hidden = layer.getActivationFn();
                if (layer instanceof LSTM lstm) {
                    gate = lstm.getGateActivationFn();
                }
                out = (BaseOutputLayer) graph.getLayer("out").conf().getLayer();
            }
            System.arraycopy(values, 0, initial, k * perTrial, perTrial);
        }
        int[] widths = trials.get(0).architecture().widths().stream().mapToInt(Integer::intValue).toArray();
        SeqShape shape = new SeqShape(trials.size(), train.numFeatures(), train.steps(), gate == null ? 1 : 4, widths,
                perTrial, offsets, base, initial);
        return new SeqStart(shape, hidden, gate, new SeqOutput(shape, out.getActivationFn(), out.getLossFn()));
    }
}

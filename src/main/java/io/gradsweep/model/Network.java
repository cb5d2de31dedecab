package io.gradsweep.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A built trial network, either a {@link MultiLayerNetwork} or (for skip connections and CNNs) a
 * {@link ComputationGraph}, plus the map from DL4J layer names to the trial's logical layers.
 *
 * <p>Logical layer {@code i < depth} is the i-th hidden layer (or conv block) with everything it owns, e.g. dense
 * weights and batch-norm scale; logical layer {@code depth} is the output layer. Statistics are reported by logical
 * layer, so a plain and a batch-normalized net of the same depth line up row for row in SQL.
 */
public final class Network {
    private final Model model;
    private final Map<String, Integer> paramOwners;
    private final Map<String, Integer> activationOutputs;
    private final List<TimestepProbe.Instance> timestepProbes;
    private final Map<Integer, DeltaProbe> deltaProbes;
    /** Steps of training itself that DL4J lacks (global-norm clipping): they run after every other listener. */
    private final List<TrainingListener> steps;

    Network(Model model, Map<String, Integer> paramOwners, Map<String, Integer> activationOutputs) {
        this(model, paramOwners, activationOutputs, List.of());
    }

    Network(Model model, Map<String, Integer> paramOwners, Map<String, Integer> activationOutputs,
            List<TimestepProbe.Instance> timestepProbes) {
        this(model, paramOwners, activationOutputs, timestepProbes, List.of());
    }

    private Network(Model model, Map<String, Integer> paramOwners, Map<String, Integer> activationOutputs,
                    List<TimestepProbe.Instance> timestepProbes, List<TrainingListener> steps) {
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("unsupported model " + model.getClass());
        }
        this.model = model;
        this.paramOwners = Map.copyOf(paramOwners);
        this.activationOutputs = Map.copyOf(activationOutputs);
        this.timestepProbes = List.copyOf(timestepProbes);
        this.deltaProbes = findDeltaProbes(model, this.activationOutputs);
        this.steps = List.copyOf(steps);
        model.setListeners(trainingListeners().toArray(TrainingListener[]::new));
    }

    /** This network with {@code step} as part of its training. */
    Network withStep(TrainingListener step) {
        List<TrainingListener> all = new ArrayList<>(steps);
        all.add(step);
        return new Network(model, paramOwners, activationOutputs, timestepProbes, all);
    }

    public Model model() {
        return model;
    }

    /**
     * Logical layer owning each DL4J layer's parameters, keyed by the prefix of DL4J's param-table keys (layer index
     * for a MultiLayerNetwork, vertex name for a graph).
     */
    public Map<String, Integer> paramOwners() {
        return paramOwners;
    }

    /**
     * The DL4J layers whose output is a hidden layer's activation (after its nonlinearity, before any skip
     * addition), keyed like the forward-pass activations DL4J hands to listeners: layer index or vertex name. The
     * output layer is left out: a MultiLayerNetwork does not hand its output to listeners during training.
     */
    public Map<String, Integer> activationOutputs() {
        return activationOutputs;
    }

    /** The probe of each recurrent layer, index = logical layer; empty for feed-forward nets. */
    public List<TimestepProbe.Instance> timestepProbes() {
        return timestepProbes;
    }

    /**
     * The {@link DeltaProbe} of each hidden layer that has one, by logical layer: the nonlinearity of the DL4J layer
     * whose output is the hidden layer's activation. Recurrent layers have none.
     */
    public Map<Integer, DeltaProbe> deltaProbes() {
        return deltaProbes;
    }

    private static Map<Integer, DeltaProbe> findDeltaProbes(Model model, Map<String, Integer> activationOutputs) {
        Map<Integer, DeltaProbe> probes = new HashMap<>();
        activationOutputs.forEach((dl4jLayer, logical) -> {
            Layer conf = (model instanceof MultiLayerNetwork m ? m.getLayer(Integer.parseInt(dl4jLayer))
                    : ((ComputationGraph) model).getLayer(dl4jLayer)).conf().getLayer();
            IActivation fn = conf instanceof BaseLayer b ? b.getActivationFn()
                    : conf instanceof ActivationLayer a ? a.getActivationFn() : null;
            if (fn instanceof DeltaProbe p) {
                probes.put(logical, p);
            }
        });
        return Map.copyOf(probes);
    }

    public Map<String, INDArray> paramTable() {
        return model instanceof MultiLayerNetwork m ? m.paramTable() : ((ComputationGraph) model).paramTable();
    }

    /** Observers of training; the network's own steps stay, after them. */
    public void setListeners(TrainingListener... listeners) {
        model.setListeners(trainingListeners(listeners).toArray(TrainingListener[]::new));
    }

    /**
     * What training this network must run, for trainers that install listeners themselves (DL4J's Spark master on
     * its workers): {@code observers}, then the network's own steps.
     */
    public List<TrainingListener> trainingListeners(TrainingListener... observers) {
        List<TrainingListener> all = new ArrayList<>(List.of(observers));
        all.addAll(steps);
        return all;
    }

    /** One update on one minibatch. */
    public void fit(DataSet minibatch) {
        if (model instanceof MultiLayerNetwork m) {
            m.fit(minibatch);
        } else {
            ((ComputationGraph) model).fit(minibatch);
        }
    }

    public double score() {
        return model.score();
    }

    /** Inference-mode output (no dropout, batch-norm running statistics). */
    public INDArray output(INDArray features) {
        return model instanceof MultiLayerNetwork m ? m.output(features, false)
                : ((ComputationGraph) model).output(false, features)[0];
    }
}

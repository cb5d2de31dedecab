package io.gradsweep.model;

import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.Clipping;
import io.gradsweep.spec.Initializer;
import io.gradsweep.spec.Optimizer;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;
import java.util.List;

/**
 * Builds the DL4J network of a trial and holds the pieces every architecture shares. The initializer applies to
 * every layer, biases start at zero, float32 throughout; optimizers and clipping follow Keras semantics.
 */
public final class NetworkFactory {
    private static final long ZERO_SEED = 0x9E3779B97F4A7C15L;
    private NetworkFactory() {
    }

    /**
     * The trial's network: a MultiLayerNetwork for plain MLPs, a ComputationGraph for skips, CNNs and recurrent
     * nets. {@code numFeatures} counts the features of one step for sequences; {@code numClasses} 0 is regression.
     */
    public static Network build(TrialConfig t, int numFeatures, int numClasses) {
        Network net = layers(t, numFeatures, numClasses);
        if (t.clipping().mode() == Clipping.Mode.GLOBAL_NORM) {
            return net.withStep(new GlobalNormClipping(t.clipping().threshold(),
                    ParamLayout.of(net.paramTable(), net.paramOwners())));
        }
        return net;
    }

    private static Network layers(TrialConfig t, int numFeatures, int numClasses) {
        Architecture arch = t.architecture();
        if (arch.recurrent()) {
            return Recurrent.build(t, numFeatures);
        }
        if (arch.model().equals(Architecture.CNN)) {
            return Graphs.cnn(t, numClasses);
        }
        return arch.residual() ? Graphs.residualMlp(t, numFeatures, numClasses)
                : Mlp.build(t, numFeatures, numClasses);
    }

    /**
     * The DL4J network of a plain (non-residual) MLP trial, its training steps installed as its listeners: replacing
     * them with {@code setListeners} would drop global-norm clipping; use {@link Network#setListeners} instead.
     */
    public static MultiLayerNetwork multiLayer(TrialConfig t, int numFeatures, int numClasses) {
        if (t.architecture().residual() || !t.architecture().model().equals(Architecture.MLP)) {
            throw new IllegalArgumentException("not a plain MLP: " + t.canonical());
        }
        return (MultiLayerNetwork) build(t, numFeatures, numClasses).model();
    }

    /**
     * The seed handed to DL4J and ND4J. ND4J's native generator treats seed 0 as "seed me randomly", so a trial with
     * seed 0 (the spec's default) got different initial weights on every run. 0 is mapped to a constant outside the
     * spec's seed range [0, 2^63), so it cannot collide with a seed a user can write; every other seed is unchanged.
     */
    public static long dl4jSeed(long trialSeed) {
        return trialSeed == 0 ? ZERO_SEED : trialSeed;
    }

    /** Settings every layer shares: seed, float32, updater, initializer, zero biases, clipping, workspaces. */
    static NeuralNetConfiguration.Builder base(TrialConfig t) {
        GradientNormalization clip = normalization(t.clipping());
        return new NeuralNetConfiguration.Builder()
                .seed(dl4jSeed(t.seed()))
                .dataType(DataType.FLOAT)
                .updater(updater(t.optimizer(), t.learningRate()))
                .weightInit(weightInit(t.initializer()))
                .biasInit(0.0)
                .gradientNormalization(clip)
                .gradientNormalizationThreshold(clip == GradientNormalization.None ? 1.0 : t.clipping().threshold())
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED);
    }

    /**
     * Sigmoid unit with binary cross-entropy for two classes, softmax with cross-entropy for more, one linear unit
     * with mean squared error for regression (numClasses 0).
     */
    static OutputLayer output(TrialConfig t, int nIn, int numClasses) {
        OutputLayer.Builder out;
        if (numClasses == 0) {
            out = new OutputLayer.Builder(LossFunction.MSE).nIn(nIn).nOut(1).activation(new ActivationIdentity());
        } else {
            boolean binary = numClasses == 2;
            out = new OutputLayer.Builder(binary ? LossFunction.XENT : LossFunction.MCXENT)
                    .nIn(nIn).nOut(binary ? 1 : numClasses)
                    .activation(binary ? new ActivationSigmoid() : new ActivationSoftmax());
        }
        decay(t, out);
        return dropout(t, out).build();
    }

    /**
     * Keras puts Dropout(rate) after each hidden layer; DL4J drops a layer's inputs and takes the retain
     * probability, so every layer fed by a hidden layer gets dropOut(1 - rate).
     */
    static <B extends BaseLayer.Builder<B>> B dropout(TrialConfig t, B layer) {
        return t.dropout() > 0 ? layer.dropOut(1 - t.dropout()) : layer;
    }

    static BatchNormalization batchNorm(TrialConfig t, int width) {
        BatchNormalization.Builder bn = new BatchNormalization.Builder().nIn(width).nOut(width);
        decay(t, bn);
        return bn.build();
    }

    /**
     * adamw: decoupled decay scaled by the learning rate, {@code w -= lr * wd * w}, on weights and biases like Keras
     * AdamW. Set per layer because DL4J M2's global {@code weightDecay(coeff, applyLR)} registers it twice for
     * the weights (doubling it) and not at all for the biases.
     */
    static void decay(TrialConfig t, BaseLayer.Builder<?> layer) {
        if (t.optimizer().kind() == Optimizer.Kind.ADAMW) {
            layer.regularization(List.of(new WeightDecay(t.optimizer().weightDecay(), true)));
            layer.regularizationBias(List.of(new WeightDecay(t.optimizer().weightDecay(), true)));
        }
    }

    /**
     * A feed-forward hidden layer's nonlinearity, inside a {@link DeltaProbe} so that dL/ds can be recorded.
     * Recurrent layers call theirs once per step and gate, so they take {@link #activation} bare.
     */
    static IActivation hiddenActivation(TrialConfig t) {
        return new DeltaProbe(activation(t));
    }

    static IActivation activation(TrialConfig t) {
        return switch (t.activation().function()) {
            case SIGMOID -> new ActivationSigmoid();
            case TANH -> new ActivationTanH();
            case RELU -> new ActivationReLU();
            case LEAKYRELU -> new ActivationLReLU(t.activation().alpha());
            case ELU -> new ActivationELU(t.activation().alpha());
            case SELU -> new ActivationSELU();
            case SOFTSIGN -> new ActivationSoftSign();
            case SOFTPLUS -> new ActivationSoftPlus();
            case LINEAR -> new ActivationIdentity();
            case SWISH -> new ActivationSwish();
            case GELU -> new ActivationGELU();
        };
    }

    static IWeightInit weightInit(Initializer init) {
        return switch (init.name()) {
            case "normal" -> new WeightInitDistribution(
                    new NormalDistribution(init.term().arg(0), init.term().arg(1)));
            case "uniform" -> new WeightInitDistribution(
                    new UniformDistribution(init.term().arg(0), init.term().arg(1)));
            case "glorot_uniform" -> WeightInit.XAVIER_UNIFORM.getWeightInitFunction();
            case "glorot_normal" -> WeightInit.XAVIER.getWeightInitFunction();
            case "he_normal" -> WeightInit.RELU.getWeightInitFunction();
            case "he_uniform" -> WeightInit.RELU_UNIFORM.getWeightInitFunction();
            case "lecun_normal" -> WeightInit.LECUN_NORMAL.getWeightInitFunction();
            case "lecun_uniform" -> WeightInit.LECUN_UNIFORM.getWeightInitFunction();
            case "orthogonal" -> new Orthogonal();
            // WeightInitUniform: U[-a, a] with a = 1/sqrt(fanIn), exactly Glorot and Bengio's standard one.
            case "glorot_bengio_standard" -> WeightInit.UNIFORM.getWeightInitFunction();
            default -> throw new IllegalArgumentException("unknown initializer " + init);
        };
    }

    /** Keras defaults where DL4J's differ: epsilon 1e-7, RMSprop rho 0.9. */
    static IUpdater updater(Optimizer o, double lr) {
        return switch (o.kind()) {
            case SGD -> new Sgd(lr);
            case MOMENTUM -> new HeavyBall(lr, o.momentum());
            case NESTEROV -> new Nesterovs(lr, o.momentum());
            case RMSPROP -> new KerasRmsProp(lr, o.rho(), Optimizer.KERAS_EPSILON);
            case ADAM, ADAMW -> new Adam(lr, o.beta1(), o.beta2(), Optimizer.KERAS_EPSILON);
        };
    }

    static GradientNormalization normalization(Clipping c) {
        return switch (c.mode()) {
            case NONE, GLOBAL_NORM -> GradientNormalization.None; // global_norm: GlobalNormClipping, a listener
            case NORM -> GradientNormalization.ClipL2PerParamType;
            case LAYER_NORM -> GradientNormalization.ClipL2PerLayer;
            case VALUE -> GradientNormalization.ClipElementWiseAbsoluteValue;
        };
    }
}

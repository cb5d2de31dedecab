package io.gradsweep.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * RMSprop exactly as Keras (TF 2) applies it: {@code v = rho*v + (1-rho)*g^2; w -= lr*g / (sqrt(v) + eps)}.
 *
 * <p>DL4J's RmsProp adds epsilon inside the square root. With eps = 1e-7 that caps the step for small gradients
 * near lr*g/3e-4, so a gradient of 1e-5 moves a weight about 100x less than in Keras: exactly the regime a
 * vanishing-gradient study looks at.
 */
public final class KerasRmsProp extends OneStateUpdater {
    private final double rho;
    private final double epsilon;

    public KerasRmsProp(double learningRate, double rho, double epsilon) {
        super(learningRate);
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    void step(INDArray gradient, INDArray meanSquare) {
        meanSquare.muli(rho).addi(gradient.mul(gradient).muli(1 - rho));
        INDArray denominator = Transforms.sqrt(meanSquare, true).addi(epsilon);
        gradient.muli(learningRate).divi(denominator);
    }

    @Override
    public KerasRmsProp clone() {
        return new KerasRmsProp(learningRate, rho, epsilon);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasRmsProp k && k.learningRate == learningRate && k.rho == rho && k.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return (Double.hashCode(learningRate) * 31 + Double.hashCode(rho)) * 31 + Double.hashCode(epsilon);
    }

    @Override
    public String toString() {
        return "KerasRmsProp(lr=" + learningRate + ", rho=" + rho + ", eps=" + epsilon + ")";
    }
}

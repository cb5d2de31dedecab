package io.gradsweep.model;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Classical (heavy-ball) momentum, {@code v = m*v + lr*g; w -= v}: Keras {@code SGD(momentum=m, nesterov=False)}.
 * DL4J only ships the Nesterov variant, and a momentum sweep must be able to compare the two.
 */
public final class HeavyBall extends OneStateUpdater {
    private final double momentum;

    public HeavyBall(double learningRate, double momentum) {
        super(learningRate);
        this.momentum = momentum;
    }

    @Override
    void step(INDArray gradient, INDArray velocity) {
        gradient.muli(learningRate);
        velocity.muli(momentum).addi(gradient);
        gradient.assign(velocity);
    }

    @Override
    public HeavyBall clone() {
        return new HeavyBall(learningRate, momentum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeavyBall h && h.learningRate == learningRate && h.momentum == momentum;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(learningRate) * 31 + Double.hashCode(momentum);
    }

    @Override
    public String toString() {
        return "HeavyBall(lr=" + learningRate + ", momentum=" + momentum + ")";
    }
}

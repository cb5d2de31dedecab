package io.gradsweep.model;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Base for updaters with exactly one state array per parameter, where DL4J's own updater does not match the Keras
 * update rule that published results use. Subclasses only write the element-wise step.
 */
abstract class OneStateUpdater implements IUpdater {
    protected double learningRate;

    OneStateUpdater(double learningRate) {
        this.learningRate = learningRate;
    }

    /** Rewrites {@code gradient} in place into the step DL4J subtracts from the parameters, updating {@code state}. */
    abstract void step(INDArray gradient, INDArray state);

    @Override
    public abstract OneStateUpdater clone();

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException("learning-rate schedules are not supported by " + this);
        }
        this.learningRate = lr;
    }

    private static final class Updater implements GradientUpdater<OneStateUpdater> {
        private final OneStateUpdater config;
        private INDArray state;

        Updater(OneStateUpdater config) {
            this.config = config;
        }

        @Override
        public OneStateUpdater getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            state = stateMap.get("S");
            if (initialize) {
                state.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of("S", state);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean init) {
            if (init) {
                viewArray.assign(0);
            }
            state = viewArray.reshape(gradientOrder, gradientShape);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            config.step(gradient, state);
        }
    }
}

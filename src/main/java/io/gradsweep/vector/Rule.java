package io.gradsweep.vector;

import io.gradsweep.spec.Optimizer;

/**
 * An update rule applied element by element in float, with DL4J's operations in DL4J's order, so that a trial's
 * step is the step DL4J takes: its native kernels for sgd, nesterov and adam (the constants cast to float as the
 * kernels cast them), and our {@code HeavyBall} and {@code KerasRmsProp}, which are ND4J scalar and pairwise ops.
 * {@link #step} rewrites a slice of the gradient into the step to subtract, as DL4J rewrites its gradient view,
 * with the learning rate of the trial that owns the slice.
 */
abstract class Rule {
    /** One float per parameter per state array, in the group's flat layout. */
    static Rule of(Optimizer o, int length) {
        return switch (o.kind()) {
            case SGD -> new Sgd();
            case MOMENTUM -> new HeavyBall(o.momentum(), length);
            case NESTEROV -> new Nesterov(o.momentum(), length);
            case RMSPROP -> new RmsProp(o.rho(), Optimizer.KERAS_EPSILON, length);
            case ADAM, ADAMW -> new Adam(o.beta1(), o.beta2(), Optimizer.KERAS_EPSILON, length);
        };
    }

    /** {@code iteration} counts the updates before this one, as DL4J's does. */
    abstract void step(float[] g, int from, int to, double learningRate, int iteration);

    /**
     * A slice's whole update where nothing comes between its steps: the summed gradient divided by the minibatch,
     * {@link #step}, then {@code params -= step}, with the step left in {@code g}. A rule may do all three in one
     * pass over its arrays, the same float operations in the same order: on wide nets the update is bound by
     * memory traffic, and the three passes read the gradient three times.
     */
    void divideStepSubtract(float[] g, float[] params, int from, int to, float batch, double learningRate,
                            int iteration) {
        divide(g, from, to, batch);
        step(g, from, to, learningRate, iteration);
        subtract(params, g, from, to);
    }

    /** The summed gradient's slice as the mean over the minibatch: DL4J divides, it does not multiply. */
    static void divide(float[] g, int from, int to, float batch) {
        for (int i = from; i < to; i++) {
            g[i] = g[i] / batch;
        }
    }

    /** {@code params -= step} over a slice, as DL4J's {@code subi}. */
    static void subtract(float[] params, float[] step, int from, int to) {
        for (int i = from; i < to; i++) {
            params[i] = params[i] - step[i];
        }
    }

    static final class Sgd extends Rule {
        @Override
        void step(float[] g, int from, int to, double learningRate, int iteration) {
            float lr = (float) learningRate;
            for (int i = from; i < to; i++) {
                g[i] = g[i] * lr;
            }
        }
    }

    /** v = m*v + lr*g; step = v. */
    static final class HeavyBall extends Rule {
        private final float momentum;
        private final float[] velocity;

        HeavyBall(double momentum, int length) {
            this.momentum = (float) momentum;
            this.velocity = new float[length];
        }

        @Override
        void step(float[] g, int from, int to, double learningRate, int iteration) {
            float lr = (float) learningRate;
            for (int i = from; i < to; i++) {
                velocity[i] = velocity[i] * momentum + g[i] * lr;
                g[i] = velocity[i];
            }
        }
    }

    /** DL4J's Nesterovs kernel: prev = m*v; v = prev - lr*g; step = prev + (-m - 1)*v. */
    static final class Nesterov extends Rule {
        private final float momentum;
        private final float[] velocity;

        Nesterov(double momentum, int length) {
            this.momentum = (float) momentum;
            this.velocity = new float[length];
        }

        @Override
        void step(float[] g, int from, int to, double learningRate, int iteration) {
            float lr = (float) learningRate;
            float after = -momentum - 1;
            for (int i = from; i < to; i++) {
                float prev = momentum * velocity[i];
                velocity[i] = prev - lr * g[i];
                g[i] = prev + after * velocity[i];
            }
        }
    }

    /** Keras RMSprop as our KerasRmsProp runs it: ms = rho*ms + (1-rho)*g^2; step = lr*g / (sqrt(ms) + eps). */
    static final class RmsProp extends Rule {
        private final float rho;
        private final float oneMinusRho;
        private final float epsilon;
        private final float[] meanSquare;

        RmsProp(double rho, double epsilon, int length) {
            this.rho = (float) rho;
            this.oneMinusRho = (float) (1 - rho);
            this.epsilon = (float) epsilon;
            this.meanSquare = new float[length];
        }

        @Override
        void step(float[] g, int from, int to, double learningRate, int iteration) {
            float lr = (float) learningRate;
            for (int i = from; i < to; i++) {
                float x = g[i];
                meanSquare[i] = meanSquare[i] * rho + x * x * oneMinusRho;
                float denominator = (float) Math.sqrt(meanSquare[i]) + epsilon;
                g[i] = x * lr / denominator;
            }
        }
    }

    /**
     * DL4J's Adam kernel. Its bias correction folds into one float factor, lr * sqrt(1 - beta2^t) / (1 - beta1^t),
     * with the powers taken in float and the division in double, exactly as the kernel mixes its types.
     */
    static final class Adam extends Rule {
        private final float beta1;
        private final float beta2;
        private final float epsilon;
        private final float[] m;
        private final float[] v;
        private int powersFor = -1;
        private float beta1Power;
        private float beta2Power;

        Adam(double beta1, double beta2, double epsilon, int length) {
            this.beta1 = (float) beta1;
            this.beta2 = (float) beta2;
            this.epsilon = (float) epsilon;
            this.m = new float[length];
            this.v = new float[length];
        }

        /** The step's scale: lr times the bias corrections, as DL4J's kernel computes it. */
        private float factor(double learningRate, int iteration) {
            if (powersFor != iteration) {
                float t = (float) iteration + 1;
                beta1Power = (float) Math.pow(beta1, t);
                beta2Power = (float) Math.pow(beta2, t);
                powersFor = iteration;
            }
            float lr = (float) learningRate;
            float factor = (float) ((double) (lr * (float) Math.sqrt((float) (1.0 - beta2Power)))
                    / (1.0 - beta1Power));
            return Float.isNaN(factor) || factor == 0 || Float.isInfinite(factor) ? epsilon : factor;
        }

        @Override
        void step(float[] g, int from, int to, double learningRate, int iteration) {
            float factor = factor(learningRate, iteration);
            float keep1 = 1 - beta1;
            float keep2 = 1 - beta2;
            for (int i = from; i < to; i++) {
                float x = g[i];
                m[i] = beta1 * m[i] + x * keep1;
                v[i] = beta2 * v[i] + x * x * keep2;
                g[i] = m[i] * factor / ((float) Math.sqrt(v[i]) + epsilon);
            }
        }

        @Override
        void divideStepSubtract(float[] g, float[] params, int from, int to, float batch, double learningRate,
                                int iteration) {
            float factor = factor(learningRate, iteration);
            float keep1 = 1 - beta1;
            float keep2 = 1 - beta2;
            for (int i = from; i < to; i++) {
                float x = g[i] / batch;
                float mi = beta1 * m[i] + x * keep1;
                float vi = beta2 * v[i] + x * x * keep2;
                m[i] = mi;
                v[i] = vi;
                float step = mi * factor / ((float) Math.sqrt(vi) + epsilon);
                g[i] = step;
                params[i] = params[i] - step;
            }
        }
    }
}

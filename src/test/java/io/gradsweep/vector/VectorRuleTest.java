package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.model.HeavyBall;
import io.gradsweep.model.KerasRmsProp;
import io.gradsweep.spec.Optimizer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Each Java rule against the DL4J updater it stands in for, step by step, bit for bit. */
class VectorRuleTest {
    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum(0.9)", "nesterov(0.8)", "rmsprop", "rmsprop(0.5)", "adam",
            "adam(0.8,0.99)", "adamw(0.01)"})
    void matchesTheDl4jUpdaterBitForBit(String text) {
        Optimizer o = Optimizer.parse("grid.optimizer[0]", text);
        double lr = 0.0123;
        int n = 257;
        IUpdater config = switch (o.name()) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new HeavyBall(lr, o.momentum());
            case "nesterov" -> new Nesterovs(lr, o.momentum());
            case "rmsprop" -> new KerasRmsProp(lr, o.rho(), Optimizer.KERAS_EPSILON);
            default -> new Adam(lr, o.beta1(), o.beta2(), Optimizer.KERAS_EPSILON);
        };
        long state = config.stateSize(n);
        GradientUpdater<?> dl4j = state == 0 ? config.instantiate((INDArray) null, true)
                : config.instantiate(Nd4j.create(DataType.FLOAT, 1, state), true);
        Rule rule = Rule.of(o, n);
        Random random = new Random(5);
        for (int iteration = 0; iteration < 40; iteration++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 8));
            }
            INDArray view = Nd4j.create(g.clone(), new long[] {1, n}, DataType.FLOAT);
            dl4j.applyUpdater(view, iteration, 0);
            rule.step(g, 0, n, lr, iteration);
            assertThat(g).as("iteration %d", iteration).containsExactly(view.toFloatVector());
        }
    }
}

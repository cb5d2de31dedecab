package io.gradsweep.vector;

import io.gradsweep.spec.TrialConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's inverted dropout for a dense group, mask for mask. DL4J puts {@code dropOut(1 - rate)} on every layer after
 * the first (output included); on each training pass such a layer fills a mask shaped as its input, in the input's
 * (c) order, with ones, runs ND4J's {@code DropOutInverted} on it with the thread's random generator (so each entry
 * is 0 or 1 / retain), multiplies its input by it in place, and multiplies the gradient at its input by it in
 * backprop. A trial's generator is seeded by its network's initialisation and used by nothing else while it
 * trains, so one generator per trial, started from that state ({@link Initial#randomStates}) and drawing the same
 * masks in the same order (hidden layers forward, then the output layer), gives DL4J's masks exactly.
 */
final class DropoutMasks {
    /** Per trial, DL4J's retain probability, or 1 for a trial without dropout (whose masks stay ones). */
    private final double[] retain;
    private final Random[] generators;
    /**
     * Ones shaped as a trial's mask, by [rows, inputs]: the op's input, so that its output is the mask without
     * first filling the mask with ones, one ND4J call per trial and layer less. The draws depend on the element's
     * index alone, not on the input's values, so the masks are the same.
     */
    private final Map<Long, INDArray> ones = new HashMap<>();

    private DropoutMasks(double[] retain, Random[] generators) {
        this.retain = retain;
        this.generators = generators;
    }

    /** The group's masks, or null when no trial drops. */
    static DropoutMasks of(List<TrialConfig> trials, long[][] randomStates) {
        if (trials.stream().noneMatch(t -> t.dropout() > 0)) {
            return null;
        }
        double[] retain = new double[trials.size()];
        Random[] generators = new Random[trials.size()];
        for (int k = 0; k < retain.length; k++) {
            retain[k] = 1 - trials.get(k).dropout();
            if (trials.get(k).dropout() > 0) {
                generators[k] = Nd4j.getRandomFactory().getNewRandomInstance(randomStates[k][0]);
                generators[k].setStates(randomStates[k][0], randomStates[k][1]);
            }
        }
        return new DropoutMasks(retain, generators);
    }

    /**
     * Redraws this pass's masks in {@code masks[1..][k]} (trial k's [rows, inputs of that layer]) for the
     * trials that drop, layer by layer in forward order, so each trial's generator draws as DL4J's does.
     */
    void draw(INDArray[][] masks) {
        for (int l = 1; l < masks.length; l++) {
            for (int k = 0; k < retain.length; k++) {
                if (generators[k] != null) {
                    INDArray mask = masks[l][k];
                    Nd4j.getExecutioner().exec(new DropOutInverted(ones(mask), mask, retain[k]), generators[k]);
                }
            }
        }
    }

    private INDArray ones(INDArray mask) {
        long rows = mask.size(0);
        long inputs = mask.size(1);
        return ones.computeIfAbsent(rows << 32 | inputs, key -> Nd4j.ones(DataType.FLOAT, rows, inputs));
    }
}

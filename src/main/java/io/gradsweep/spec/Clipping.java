package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Gradient clipping, applied to the mean-loss gradient before the updater.
 * {@code norm(c)}: each parameter tensor (W, b) rescaled to L2 at most c, like Keras {@code clipnorm};
 * {@code layer_norm(c)}: W and b of a layer jointly; {@code value(c)}: element-wise to [-c, c], like Keras
 * {@code clipvalue}; {@code global_norm(c)}: all gradients rescaled jointly so their global L2 is at most c, like
 * PyTorch's {@code clip_grad_norm_} (DL4J has no such mode; gradsweep applies it in its listener).
 */
public record Clipping(Term term) implements Serializable {
    public static final Clipping NONE = new Clipping(new Term("none", List.of()));
    public static final List<TermRule> RULES = List.of(
            TermRule.plain("none"), TermRule.exact("norm", "c"), TermRule.exact("layer_norm", "c"),
            TermRule.exact("value", "c"), TermRule.exact("global_norm", "c"));

    public static Clipping parse(String keyPath, String text) {
        Term t = TermRule.parse(keyPath, text, RULES);
        if (!t.args().isEmpty()) {
            TermRule.require(t.arg(0) > 0, keyPath, text, t.name() + "(c) with c > 0");
        }
        return new Clipping(t);
    }

    public String name() {
        return term.name();
    }

    public double threshold() {
        return term.arg(0);
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

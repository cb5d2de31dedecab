package io.gradsweep.spec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Gradient clipping, applied to the mean-loss gradient before the updater.
 * {@code norm(c)}: each parameter tensor (W, b) rescaled to L2 at most c, like Keras {@code clipnorm};
 * {@code layer_norm(c)}: W and b of a layer jointly; {@code value(c)}: element-wise to [-c, c], like Keras
 * {@code clipvalue}; {@code global_norm(c)}: all gradients rescaled jointly so their global L2 is at most c, like
 * PyTorch's {@code clip_grad_norm_} (DL4J has no such mode; gradsweep's networks add it as a training step).
 */
public record Clipping(Term term) implements Serializable {

    /** The clipping modes: a new one makes the compiler point at every switch that must handle it. */
    public enum Mode {
        NONE(TermRule.plain("none")), NORM(TermRule.exact("norm", "c")), LAYER_NORM(TermRule.exact("layer_norm", "c")),
        VALUE(TermRule.exact("value", "c")), GLOBAL_NORM(TermRule.exact("global_norm", "c"));

        private final TermRule rule;

        Mode(TermRule rule) {
            this.rule = rule;
        }

        /** The name a spec writes. */
        public String spelling() {
            return rule.name();
        }

        public static Mode fromName(String name) {
            return Terms.fromName(values(), Mode::spelling, "clipping", name);
        }

        /** By spelling, for {@link Clipping#mode()}: it runs per tensor and recorded update, where a scan showed. */
        private static final Map<String, Mode> BY_SPELLING = Arrays.stream(values())
                .collect(Collectors.toUnmodifiableMap(Mode::spelling, m -> m));
    }

    public static final Clipping NONE = new Clipping(new Term("none", List.of()));
    public static final List<TermRule> RULES = Arrays.stream(Mode.values()).map(m -> m.rule).toList();

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

    public Mode mode() {
        Mode m = Mode.BY_SPELLING.get(term.name());
        return m != null ? m : Mode.fromName(term.name());
    }

    /** The threshold c; 0 for {@code none}, which has none. */
    public double threshold() {
        return term.args().isEmpty() ? 0 : term.arg(0);
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

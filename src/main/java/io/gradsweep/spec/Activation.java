package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/** A hidden-layer activation. {@code leakyrelu} and {@code elu} take an optional alpha. */
public record Activation(Term term) implements Serializable {
    public static final List<TermRule> RULES = List.of(
            TermRule.plain("sigmoid"), TermRule.plain("tanh"), TermRule.plain("relu"),
            TermRule.optional("leakyrelu", "alpha"), TermRule.optional("elu", "alpha"), TermRule.plain("selu"),
            TermRule.plain("softsign"), TermRule.plain("softplus"), TermRule.plain("linear"),
            TermRule.plain("swish"), TermRule.plain("gelu"));

    public static Activation parse(String keyPath, String text) {
        Term t = TermRule.parse(keyPath, text, RULES);
        if (!t.args().isEmpty()) {
            TermRule.require(t.arg(0) > 0, keyPath, text, "alpha > 0, e.g. " + t.name() + "(0.01)");
        }
        return new Activation(t);
    }

    public String name() {
        return term.name();
    }

    /** Alpha for the parametrised activations, with DL4J's defaults (0.01 for leakyrelu, 1.0 for elu). */
    public double alpha() {
        if (!term.args().isEmpty()) {
            return term.arg(0);
        }
        return name().equals("leakyrelu") ? 0.01 : 1.0;
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

package io.gradsweep.spec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/** A hidden-layer activation. {@code leakyrelu} and {@code elu} take an optional alpha. */
public record Activation(Term term) implements Serializable {

    /** The activations gradsweep knows: a new one makes the compiler point at every switch that must handle it. */
    public enum Function {
        SIGMOID(TermRule.plain("sigmoid")), TANH(TermRule.plain("tanh")), RELU(TermRule.plain("relu")),
        LEAKYRELU(TermRule.optional("leakyrelu", "alpha")), ELU(TermRule.optional("elu", "alpha")),
        SELU(TermRule.plain("selu")), SOFTSIGN(TermRule.plain("softsign")), SOFTPLUS(TermRule.plain("softplus")),
        LINEAR(TermRule.plain("linear")), SWISH(TermRule.plain("swish")), GELU(TermRule.plain("gelu"));

        private final TermRule rule;

        Function(TermRule rule) {
            this.rule = rule;
        }

        /** The name a spec writes. */
        public String spelling() {
            return rule.name();
        }

        public static Function fromName(String name) {
            return Terms.fromName(values(), Function::spelling, "activation", name);
        }
    }

    public static final List<TermRule> RULES = Arrays.stream(Function.values()).map(f -> f.rule).toList();

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

    public Function function() {
        return Function.fromName(term.name());
    }

    /** Alpha for the parametrised activations, with DL4J's defaults (0.01 for leakyrelu, 1.0 for elu). */
    public double alpha() {
        if (!term.args().isEmpty()) {
            return term.arg(0);
        }
        return function() == Function.LEAKYRELU ? 0.01 : 1.0;
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

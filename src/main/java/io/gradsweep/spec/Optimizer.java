package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Optimizer type and its hyperparameters (the learning rate is a separate grid axis). Defaults are Keras's, not
 * DL4J's: rmsprop rho 0.9, adam 0.9/0.999, epsilon 1e-7 for both.
 */
public record Optimizer(Term term) implements Serializable {
    public static final double KERAS_EPSILON = 1e-7;
    public static final List<TermRule> RULES = List.of(
            TermRule.plain("sgd"), TermRule.exact("momentum", "m"), TermRule.exact("nesterov", "m"),
            TermRule.optional("rmsprop", "rho"), TermRule.optional("adam", "beta1", "beta2"),
            TermRule.optional("adamw", "weight_decay"));

    public static Optimizer parse(String keyPath, String text) {
        Term t = TermRule.parse(keyPath, text, RULES);
        for (double a : t.args()) {
            TermRule.require(a >= 0 && a < 1, keyPath, text, t.name() + " arguments in [0, 1)");
        }
        return new Optimizer(t);
    }

    public String name() {
        return term.name();
    }

    public double momentum() {
        return term.arg(0);
    }

    public double rho() {
        return term.args().isEmpty() ? 0.9 : term.arg(0);
    }

    public double beta1() {
        return term.args().isEmpty() || name().equals("adamw") ? 0.9 : term.arg(0);
    }

    /** Decoupled weight decay of adamw, Keras's default 0.004 when not given. */
    public double weightDecay() {
        return term.args().isEmpty() ? 0.004 : term.arg(0);
    }

    public double beta2() {
        return term.args().size() < 2 || name().equals("adamw") ? 0.999 : term.arg(1);
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

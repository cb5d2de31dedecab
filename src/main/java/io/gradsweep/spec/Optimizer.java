package io.gradsweep.spec;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Optimizer type and its hyperparameters (the learning rate is a separate grid axis). Defaults are Keras's, not
 * DL4J's: rmsprop rho 0.9, adam 0.9/0.999, epsilon 1e-7 for both.
 */
public record Optimizer(Term term) implements Serializable {
    public static final double KERAS_EPSILON = 1e-7;

    /** The optimizers: a new one makes the compiler point at every switch that must handle it. */
    public enum Kind {
        SGD(TermRule.plain("sgd")), MOMENTUM(TermRule.exact("momentum", "m")),
        NESTEROV(TermRule.exact("nesterov", "m")), RMSPROP(TermRule.optional("rmsprop", "rho")),
        ADAM(TermRule.optional("adam", "beta1", "beta2")), ADAMW(TermRule.optional("adamw", "weight_decay"));

        private final TermRule rule;

        Kind(TermRule rule) {
            this.rule = rule;
        }

        /** The name a spec writes. */
        public String spelling() {
            return rule.name();
        }

        public static Kind fromName(String name) {
            return Terms.fromName(values(), Kind::spelling, "optimizer", name);
        }
    }

    public static final List<TermRule> RULES = Arrays.stream(Kind.values()).map(k -> k.rule).toList();

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

    public Kind kind() {
        return Kind.fromName(term.name());
    }

    public double momentum() {
        return term.arg(0);
    }

    public double rho() {
        return term.args().isEmpty() ? 0.9 : term.arg(0);
    }

    public double beta1() {
        return term.args().isEmpty() || kind() == Kind.ADAMW ? 0.9 : term.arg(0);
    }

    /** Decoupled weight decay of adamw, Keras's default 0.004 when not given. */
    public double weightDecay() {
        return term.args().isEmpty() ? 0.004 : term.arg(0);
    }

    public double beta2() {
        return term.args().size() < 2 || kind() == Kind.ADAMW ? 0.999 : term.arg(1);
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Weight initializer for every dense layer (biases always start at zero). {@code glorot_bengio_standard} is the
 * "standard" initialization of Glorot and Bengio (2010, eq. 1), U[-1/sqrt(n_in), 1/sqrt(n_in)], the baseline their
 * normalized one ({@code glorot_uniform}) is compared against.
 */
public record Initializer(Term term) implements Serializable {
    public static final List<TermRule> RULES = List.of(
            TermRule.exact("normal", "mean", "std"), TermRule.exact("uniform", "lo", "hi"),
            TermRule.plain("glorot_uniform"), TermRule.plain("glorot_normal"),
            TermRule.plain("he_normal"), TermRule.plain("he_uniform"),
            TermRule.plain("lecun_normal"), TermRule.plain("lecun_uniform"), TermRule.plain("orthogonal"),
            TermRule.plain("glorot_bengio_standard"));

    public static Initializer parse(String keyPath, String text) {
        Term t = TermRule.parse(keyPath, text, RULES);
        if (t.name().equals("normal")) {
            TermRule.require(t.arg(1) > 0, keyPath, text, "normal(mean,std) with std > 0");
        } else if (t.name().equals("uniform")) {
            TermRule.require(t.arg(0) < t.arg(1), keyPath, text, "uniform(lo,hi) with lo < hi");
        }
        return new Initializer(t);
    }

    public String name() {
        return term.name();
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

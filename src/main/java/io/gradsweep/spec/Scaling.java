package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/** Feature scaling, always fitted on the training part only. */
public record Scaling(Term term) implements Serializable {
    public static final Scaling NONE = new Scaling(new Term("none", List.of()));
    public static final List<TermRule> RULES = List.of(
            TermRule.plain("none"), TermRule.exact("minmax", "lo", "hi"), TermRule.plain("standard"));

    public static Scaling parse(String keyPath, String text) {
        Term t = TermRule.parse(keyPath, text, RULES);
        if (t.name().equals("minmax")) {
            TermRule.require(t.arg(0) < t.arg(1), keyPath, text, "minmax(lo,hi) with lo < hi");
        }
        return new Scaling(t);
    }

    public String name() {
        return term.name();
    }

    @Override
    public String toString() {
        return term.canonical();
    }
}

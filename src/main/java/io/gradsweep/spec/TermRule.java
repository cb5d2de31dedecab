package io.gradsweep.spec;

import java.util.List;

/** One accepted spelling of a term: its name and how many numeric arguments it takes. */
public record TermRule(String name, int minArgs, int maxArgs, String usage) {

    public static TermRule plain(String name) {
        return new TermRule(name, 0, 0, name);
    }

    public static TermRule exact(String name, String... argNames) {
        return new TermRule(name, argNames.length, argNames.length, name + "(" + String.join(",", argNames) + ")");
    }

    /** A term whose arguments may be left out, e.g. {@code leakyrelu} or {@code leakyrelu(0.2)}. */
    public static TermRule optional(String name, String... argNames) {
        return new TermRule(name, 0, argNames.length, name + "[(" + String.join(",", argNames) + ")]");
    }

    /** Parses and checks name and arity; any mismatch names the key, the value and every valid spelling. */
    public static Term parse(String keyPath, String text, List<TermRule> rules) {
        Term term = Term.parse(text);
        List<String> usages = rules.stream().map(TermRule::usage).toList();
        if (term == null) {
            String huge = Term.outOfRangeArgument(text);
            if (huge != null) { // well formed, so "expected one of" would send the user looking for a typo
                throw SpecException.expected(keyPath, text, "finite numbers as arguments; " + huge + " is out of "
                        + "range (doubles reach about 1.8e308)");
            }
            throw SpecException.choice(keyPath, text, usages);
        }
        for (TermRule rule : rules) {
            if (rule.name.equals(term.name())) {
                int n = term.args().size();
                if (n < rule.minArgs || n > rule.maxArgs) {
                    throw SpecException.choice(keyPath, text, usages);
                }
                return term;
            }
        }
        throw SpecException.choice(keyPath, text, usages);
    }

    static void require(boolean ok, String keyPath, String text, String expectation) {
        if (!ok) {
            throw SpecException.expected(keyPath, text, expectation);
        }
    }
}

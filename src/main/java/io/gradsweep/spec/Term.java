package io.gradsweep.spec;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A spec value of the form {@code name} or {@code name(n1, n2, ...)} with numeric arguments, e.g. {@code normal(0,1)},
 * {@code momentum(0.9)}, {@code minmax(-1,1)}. Parsed by a tiny hand-written grammar; nothing is ever evaluated.
 *
 * <pre>term := ident [ '(' number { ',' number } ')' ]   ident := [a-z_][a-z0-9_]*</pre>
 */
public record Term(String name, List<Double> args) implements Serializable {
    private static final String NUMBER = "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?";

    public Term {
        args = List.copyOf(args);
    }

    /** Returns null when the text does not match the grammar; callers turn that into a keyed SpecException. */
    public static Term parse(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        int open = s.indexOf('(');
        String name = open < 0 ? s : s.substring(0, open).strip();
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            return null;
        }
        if (open < 0) {
            return new Term(name, List.of());
        }
        if (!s.endsWith(")")) {
            return null;
        }
        String inner = s.substring(open + 1, s.length() - 1);
        List<Double> args = new ArrayList<>();
        for (String part : inner.split(",", -1)) {
            Double v = parseNumber(part.strip());
            if (v == null) {
                return null;
            }
            args.add(v);
        }
        return new Term(name, args);
    }

    private static Double parseNumber(String s) {
        if (!s.matches(NUMBER)) {
            return null;
        }
        double v = Double.parseDouble(s);
        return Double.isFinite(v) ? v : null;
    }

    /**
     * The first argument that is spelled as a number but is past the double range, such as {@code 1e400} (which
     * {@link #parse} refuses like a typo); null when there is none.
     */
    static String outOfRangeArgument(String text) {
        String s = text.strip();
        int open = s.indexOf('(');
        if (open < 0 || !s.endsWith(")")) {
            return null;
        }
        for (String part : s.substring(open + 1, s.length() - 1).split(",", -1)) {
            String arg = part.strip();
            if (arg.matches(NUMBER) && !Double.isFinite(Double.parseDouble(arg))) {
                return arg;
            }
        }
        return null;
    }

    public double arg(int i) {
        return args.get(i);
    }

    /** Canonical text: lower case, numbers without trailing zeros, so "normal(0.0, 1)" and "normal(0,1)" agree. */
    public String canonical() {
        if (args.isEmpty()) {
            return name;
        }
        return name + args.stream().map(Term::number).collect(Collectors.joining(",", "(", ")"));
    }

    public static String number(double v) {
        if (v == 0) {
            return "0";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return canonical();
    }
}

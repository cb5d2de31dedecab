package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code sample:} block: {@code n}, {@code method}, {@code seed}, and one distribution per sampled axis, such as
 * {@code learning_rate: loguniform(1e-4, 1)}, {@code depth: int(2, 20)} or {@code optimizer: choice(sgd, adam)}.
 * Bounds and choices are checked against the grid axis's own range and parser.
 */
final class SampleParser {
    static final String N = "n";
    static final String METHOD = "method";
    static final String SEED = "seed";

    /** The axes that can be sampled and the distributions each takes; a choice takes what the grid axis takes. */
    private static final Map<GridAxis, List<SampleAxis.Distribution>> SAMPLEABLE = sampleable();

    private SampleParser() {
    }

    static Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>(List.of(N, METHOD, SEED));
        SAMPLEABLE.keySet().forEach(a -> keys.add(a.column()));
        return keys;
    }

    /** Null when the spec has no {@code sample} block. */
    static SampleSpec parse(SpecNode s, SpecNode grid) {
        if (!s.present()) {
            return null;
        }
        s.object(keys());
        int n = (int) s.get(N).integer(1, Integer.MAX_VALUE);
        SpecNode methodNode = s.get(METHOD);
        SampleSpec.Method method = SampleSpec.Method.fromName(methodNode.path(),
                methodNode.string(SampleSpec.Method.SOBOL.spelling()));
        long seed = s.get(SEED).integer(0, Long.MAX_VALUE, 0);
        List<SampleAxis> axes = new ArrayList<>();
        for (GridAxis axis : SAMPLEABLE.keySet()) { // in GridAxis order: a YAML reordering keeps the draw
            SpecNode node = s.get(axis.column());
            if (node.present()) {
                requireNotGridded(node, grid, axis);
                axes.add(axis(node, axis));
            }
        }
        if (axes.isEmpty()) {
            throw new SpecException(s.path(), "Cannot parse spec: 'sample' has no axis; expected at least one of "
                    + String.join(", ", SAMPLEABLE.keySet().stream().map(GridAxis::column).toList()));
        }
        return new SampleSpec(n, method, seed, axes);
    }

    /** For each sampled axis, the values the grid's checks must accept in its place. */
    static Map<GridAxis, List<Object>> envelope(SampleSpec sample) {
        Map<GridAxis, List<Object>> m = new EnumMap<>(GridAxis.class);
        if (sample != null) {
            sample.axes().forEach(a -> m.put(a.axis(), a.envelope()));
        }
        return m;
    }

    /**
     * The grid's cross-axis checks name the grid key they refuse; for an axis that is sampled, the value came from
     * the sample block, so the message names that key and says the sample can draw the value.
     */
    static GridSpec sampledAxesNamed(SampleSpec sample, Supplier<GridSpec> checks) {
        try {
            return checks.get();
        } catch (SpecException e) {
            for (SampleAxis a : sample == null ? List.<SampleAxis>of() : sample.axes()) {
                String grid = "grid." + a.axis().column();
                if (e.keyPath().equals(grid) || e.keyPath().startsWith(grid + "[")) {
                    String key = "sample." + a.axis().column();
                    throw new SpecException(key, e.getMessage().replaceFirst("'" + Pattern.quote(
                            e.keyPath()) + "' is ", "'" + key + "' ('" + a.text() + "') can draw "));
                }
            }
            throw e;
        }
    }

    private static void requireNotGridded(SpecNode node, SpecNode grid, GridAxis axis) {
        List<String> clashes = new ArrayList<>(List.of(axis.column()));
        if (axis == GridAxis.DEPTH || axis == GridAxis.WIDTH) {
            clashes.add(GridAxis.WIDTHS.column()); // widths replaces depth x width
        }
        for (String key : clashes) {
            if (grid.get(key).present()) {
                throw SpecException.expected(node.path(), node.string(), "no 'grid." + key + "' beside it (an axis"
                        + " is either gridded or sampled)");
            }
        }
    }

    private static SampleAxis axis(SpecNode node, GridAxis axis) {
        String text = node.string().strip();
        List<SampleAxis.Distribution> allowed = SAMPLEABLE.get(axis);
        List<String> usages = allowed.stream().map(d -> d == SampleAxis.Distribution.CHOICE ? "choice(a,b,...)"
                : d.spelling() + "(lo,hi)").toList();
        if (text.startsWith(SampleAxis.Distribution.CHOICE.spelling() + "(") && text.endsWith(")")) {
            return choice(node, axis, text);
        }
        List<TermRule> rules = allowed.stream().filter(d -> d != SampleAxis.Distribution.CHOICE)
                .map(d -> TermRule.exact(d.spelling(), "lo", "hi")).toList();
        Term term;
        try {
            term = TermRule.parse(node.path(), text, rules);
        } catch (SpecException e) {
            throw SpecException.choice(node.path(), text, usages);
        }
        SampleAxis.Distribution d = SampleAxis.Distribution.valueOf(term.name().toUpperCase(java.util.Locale.ROOT));
        double lo = term.arg(0);
        double hi = term.arg(1);
        String shown = term.canonical();
        if (d == SampleAxis.Distribution.LOGUNIFORM && lo <= 0) {
            throw SpecException.expected(node.path(), shown, "loguniform(lo,hi) with 0 < lo (a log scale needs "
                    + "positive bounds)");
        }
        if (!(lo < hi)) {
            throw SpecException.expected(node.path(), shown, d.spelling() + "(lo,hi) with lo < hi");
        }
        if (d == SampleAxis.Distribution.INT && (lo != Math.rint(lo) || hi != Math.rint(hi))) {
            throw SpecException.expected(node.path(), shown, "int(lo,hi) with integer bounds");
        }
        for (double bound : new double[] {lo, hi}) { // each end must be a value the grid axis accepts
            try {
                GridParser.item(axis, SpecNode.of(Term.number(bound), node.path()));
            } catch (SpecException e) {
                String axisRange = e.getMessage().substring(e.getMessage().indexOf("; expected ") + 11);
                throw SpecException.expected(node.path(), shown, "bounds that grid." + axis.column() + " accepts, "
                        + axisRange);
            }
        }
        return new SampleAxis(axis, d, lo, hi, List.of(), shown);
    }

    /** {@code choice(a, b, ...)}: items split at top-level commas, so {@code momentum(0.9)} stays one item. */
    private static SampleAxis choice(SpecNode node, GridAxis axis, String text) {
        List<String> items = splitTopLevel(text.substring(text.indexOf('(') + 1, text.length() - 1));
        if (items.size() < 2) {
            throw SpecException.expected(node.path(), text, "choice(a,b,...) of at least two values");
        }
        List<Object> values = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Object v = GridParser.item(axis, SpecNode.of(items.get(i), node.path() + "[" + i + "]"));
            Integer dup = seen.putIfAbsent(GridAxis.textOf(v), i);
            if (dup != null) {
                throw SpecException.expected(node.path() + "[" + i + "]", items.get(i), "a value distinct from "
                        + node.path() + "[" + dup + "]");
            }
            values.add(v);
        }
        String shown = "choice(" + String.join(",", values.stream().map(GridAxis::textOf).toList()) + ")";
        return new SampleAxis(axis, SampleAxis.Distribution.CHOICE, 0, 0, values, shown);
    }

    private static List<String> splitTopLevel(String inner) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                items.add(inner.substring(start, i).strip());
                start = i + 1;
            }
        }
        items.add(inner.substring(start).strip());
        return items;
    }

    private static Map<GridAxis, List<SampleAxis.Distribution>> sampleable() {
        List<SampleAxis.Distribution> numbers = List.of(SampleAxis.Distribution.LOGUNIFORM,
                SampleAxis.Distribution.UNIFORM, SampleAxis.Distribution.CHOICE);
        List<SampleAxis.Distribution> integers = List.of(SampleAxis.Distribution.INT, SampleAxis.Distribution.CHOICE);
        List<SampleAxis.Distribution> names = List.of(SampleAxis.Distribution.CHOICE);
        Map<GridAxis, List<SampleAxis.Distribution>> m = new EnumMap<>(GridAxis.class);
        for (GridAxis a : Arrays.asList(GridAxis.ACTIVATION, GridAxis.INITIALIZER, GridAxis.OPTIMIZER,
                GridAxis.CLIPPING)) {
            m.put(a, names);
        }
        m.put(GridAxis.DEPTH, integers);
        m.put(GridAxis.WIDTH, integers);
        m.put(GridAxis.LEARNING_RATE, numbers);
        m.put(GridAxis.DROPOUT, numbers);
        return m;
    }
}

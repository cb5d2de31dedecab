package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A canned analysis: a shipped SQL template over the result views, with typed parameters. The SQL file declares
 * itself in comment lines, which Spark ignores:
 * <pre>
 *   -- @description  what it shows (may repeat; the lines are joined)
 *   -- @param NAME number|axis|choice(a|b) DEFAULT  what it means
 *   -- @pivot ROW_COLUMN COLUMN_COLUMN VALUE[,VALUE...]   (optional: reshape to one row per ROW_COLUMN value)
 * </pre>
 * and refers to parameters as {@code {{NAME}}}.
 *
 * @param pivot the @pivot spec with placeholders, or null
 */
public record Analysis(String name, String description, List<AnalysisParam> params, String template, String pivot) {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z_][a-z0-9_]*)}}");

    /** A pivot to apply after the SQL: one output row per {@code rows} value, one column per {@code columns} value. */
    public record Pivot(String rows, String columns, List<String> values) {
    }

    /** The analysis with its parameters bound: SQL ready to run, and the resolved pivot (or null). */
    public record Bound(String name, String sql, Pivot pivot, Map<String, String> values) {
    }

    public Analysis {
        params = List.copyOf(params);
    }

    /** Parses a shipped SQL file; a malformed declaration is a packaging bug, hence IllegalStateException. */
    public static Analysis parse(String name, String text) {
        StringBuilder description = new StringBuilder();
        List<AnalysisParam> params = new ArrayList<>();
        String pivot = null;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("-- @description")) {
                description.append(description.isEmpty() ? "" : " ").append(l.substring(15).strip());
            } else if (l.startsWith("-- @param")) {
                String[] p = l.substring(9).strip().split("\\s+", 4);
                if (p.length < 4) {
                    throw new IllegalStateException("malformed @param in sql/" + name + ".sql: " + l);
                }
                params.add(AnalysisParam.declare(p[0], p[1], p[2], p[3]));
            } else if (l.startsWith("-- @pivot")) {
                pivot = l.substring(9).strip();
            }
        }
        return new Analysis(name, description.toString(), params, text, pivot);
    }

    /**
     * Binds the given values (missing ones take their defaults) after validating every name and value.
     *
     * @throws InvalidInputException naming the offending parameter and what it accepts
     */
    public Bound bind(Map<String, String> given) {
        List<String> names = params.stream().map(AnalysisParam::name).toList();
        for (String key : given.keySet()) {
            if (!names.contains(key)) {
                throw new InvalidInputException("Cannot run analysis '" + name + "': '--param' is '" + key + "'; "
                        + (names.isEmpty() ? "expected none, it takes no parameters"
                                : "expected one of " + String.join(", ", names)));
            }
        }
        Map<String, String> sql = new LinkedHashMap<>();
        Map<String, String> raw = new LinkedHashMap<>();
        for (AnalysisParam p : params) {
            String value = given.getOrDefault(p.name(), p.defaultValue());
            sql.put(p.name(), p.render(name, value));
            raw.put(p.name(), p.raw(name, value));
        }
        if (sql.containsKey("rows") && sql.get("rows").equals(sql.get("columns"))) {
            throw new InvalidInputException("Cannot run analysis '" + name + "': 'columns' is '" + raw.get("columns")
                    + "'; expected an axis other than 'rows'");
        }
        bins(sql, raw);
        return new Bound(name, substitute(template, sql), pivot(raw), raw);
    }

    /**
     * Each AXIS parameter also binds {@code NAME_value}, the SQL for its value: the column itself, or with a
     * {@code bins} parameter, the bin of a continuous axis (see {@link AxisBins}).
     */
    private void bins(Map<String, String> sql, Map<String, String> raw) {
        double bins = raw.containsKey("bins") ? Double.parseDouble(raw.get("bins")) : 0;
        if (raw.containsKey("bins")) {
            AxisBins.check(name, bins, raw.get("rows"), raw.get("columns"));
        }
        for (AnalysisParam p : params) {
            if (p.kind() == AnalysisParam.Kind.AXIS) {
                sql.put(p.name() + "_value", AxisBins.expression(raw.get(p.name()), bins));
            }
        }
    }

    private Pivot pivot(Map<String, String> raw) {
        if (pivot == null || "long".equals(raw.get("layout"))) {
            return null;
        }
        String[] p = substitute(pivot, raw).split("\\s+");
        return new Pivot(p[0], p[1], List.of(p[2].split(",")));
    }

    private String substitute(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalStateException("sql/" + name + ".sql uses undeclared parameter " + m.group());
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}

package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.GridAxis;
import java.util.List;
import java.util.stream.Stream;

/**
 * A parameter of a canned analysis, declared in its SQL file as {@code -- @param NAME KIND DEFAULT DESCRIPTION}.
 * Values are validated here and only then spliced into the SQL: numbers are re-rendered from the parsed double and
 * identifiers come from a fixed list, so no user text ever reaches the SQL verbatim.
 *
 * @param choices the allowed values of an AXIS or CHOICE parameter; empty for NUMBER
 */
public record AnalysisParam(String name, Kind kind, List<String> choices, String defaultValue, String description) {

    /**
     * NUMBER: a finite number, or {@link #RECORDED} where that is the declared default; AXIS: a column of
     * {@code trials} that varies across trials; CHOICE: a keyword.
     */
    public enum Kind { NUMBER, AXIS, CHOICE }

    /** The trials columns an AXIS parameter may name: the grid axes, plus what differs between sweeps. */
    public static final List<String> AXES = Stream.concat(GridAxis.columns().stream(),
            Stream.of("dataset", "epochs", "batch_size", "sweep")).toList();

    /**
     * The default of a NUMBER parameter that the sweep itself recorded per trial (a trials column of the same name):
     * it renders as NULL, and the SQL takes {@code coalesce({{name}}, <trials column>)}.
     */
    public static final String RECORDED = "recorded";

    public AnalysisParam {
        choices = List.copyOf(choices);
    }

    /** Parses the KIND token of a declaration: {@code number}, {@code axis} or {@code choice(a|b|c)}. */
    static AnalysisParam declare(String name, String kind, String defaultValue, String description) {
        if (kind.equals("number")) {
            return new AnalysisParam(name, Kind.NUMBER, List.of(), defaultValue, description);
        }
        if (kind.equals("axis")) {
            return new AnalysisParam(name, Kind.AXIS, AXES, defaultValue, description);
        }
        if (kind.startsWith("choice(") && kind.endsWith(")")) {
            List<String> values = List.of(kind.substring(7, kind.length() - 1).split("\\|"));
            return new AnalysisParam(name, Kind.CHOICE, values, defaultValue, description);
        }
        throw new IllegalStateException("unknown parameter kind '" + kind + "' of '" + name + "'");
    }

    /**
     * The validated value as SQL text: a double literal, or a column name. Column names come from a fixed list of
     * lower-case words that neither engine reserves, so they go bare: Spark quotes with backticks, DuckDB with
     * double quotes, and Spark reads a double-quoted name as a string. CHOICE values steer the runner.
     */
    String render(String analysis, String value) {
        return switch (kind) {
            case NUMBER -> recorded(value) ? "CAST(NULL AS DOUBLE)" : "CAST(" + number(analysis, value) + " AS DOUBLE)";
            case AXIS, CHOICE -> choice(analysis, value);
        };
    }

    /** The validated value as plain text (for result column names). */
    String raw(String analysis, String value) {
        if (kind == Kind.NUMBER) {
            return recorded(value) ? RECORDED : Double.toString(number(analysis, value));
        }
        return choice(analysis, value);
    }

    private boolean recorded(String value) {
        return RECORDED.equals(defaultValue) && RECORDED.equals(value.strip());
    }

    private double number(String analysis, String value) {
        String v = value.strip();
        // Plain decimal or exponent notation only: Java would also accept "1d", hex floats and "Infinity".
        if (!v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?") || !Double.isFinite(Double.parseDouble(v))) {
            throw new InvalidInputException("Cannot run analysis '" + analysis + "': '" + name + "' is '" + value
                    + "'; expected a finite number" + (RECORDED.equals(defaultValue) ? " or recorded" : ""));
        }
        return Double.parseDouble(v);
    }

    private String choice(String analysis, String value) {
        if (!choices.contains(value)) {
            throw new InvalidInputException("Cannot run analysis '" + analysis + "': '" + name + "' is '" + value
                    + "'; expected one of " + String.join(", ", choices));
        }
        return value;
    }

    /** A number as the user would write it: "4", not "4.0". */
    static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** One line of help: {@code name=default  description}. */
    public String usage() {
        String kindText = switch (kind) {
            case NUMBER -> RECORDED.equals(defaultValue) ? "number, or recorded: each trial's own" : "number";
            case AXIS, CHOICE -> String.join("|", choices);
        };
        return name + "=" + defaultValue + "  (" + kindText + ") " + description;
    }
}

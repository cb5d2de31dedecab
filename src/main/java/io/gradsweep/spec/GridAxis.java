package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The axes of a sweep's grid, defined once: the {@code trials} column that records each axis, how the console tables
 * show it, and the order in which plan, summary, report and analyses list the axes. Seed comes last because it is
 * the least interesting axis to read or plot, and varies fastest in the grid. A new grid axis belongs here; the
 * tests check that the trials table, the analyses' AXIS parameters, the heatmap choices and the report all take
 * it up.
 */
public enum GridAxis {
    ACTIVATION("activation", Console.COLUMN, TrialConfig::activation),
    DEPTH("depth", Console.COLUMN, TrialConfig::depth),
    WIDTH("width", Console.COLUMN, TrialConfig::width),
    INITIALIZER("initializer", Console.COLUMN, TrialConfig::initializer),
    OPTIMIZER("optimizer", Console.COLUMN, TrialConfig::optimizer),
    LEARNING_RATE("learning_rate", Console.COLUMN, TrialConfig::learningRate),
    CLIPPING("clipping", Console.COLUMN, TrialConfig::clipping),
    BATCH_NORM("batch_norm", Console.ARCH, t -> t.architecture().batchNorm()),
    RESIDUAL("residual", Console.ARCH, t -> t.architecture().residual()),
    MODEL("model", Console.ARCH, t -> t.architecture().model()),
    WIDTHS("widths", Console.ARCH, t -> t.architecture().widthsText()),
    DROPOUT("dropout", Console.NONE, TrialConfig::dropout),
    SEQUENCE_LENGTH("sequence_length", Console.STEPS, t -> t.dataset().sequence() ? t.dataset().length() : null),
    SEED("seed", Console.COLUMN, TrialConfig::seed);

    /**
     * How the plan and summary tables show an axis. Their rows must stay one line wide, so the model's shape axes
     * share one "arch" cell (its {@link Architecture#label()}), sequence length is a "T" column for sequence data
     * only, and dropout is left to the trials table and the report.
     */
    public enum Console { COLUMN, ARCH, STEPS, NONE }

    private final String column;
    private final Console console;
    private final Function<TrialConfig, Object> value;

    GridAxis(String column, Console console, Function<TrialConfig, Object> value) {
        this.column = column;
        this.console = console;
        this.value = value;
    }

    /** The axis's column in the {@code trials} table, which is also its name in the spec's {@code grid:} block. */
    public String column() {
        return column;
    }

    public Console console() {
        return console;
    }

    /** The trial's value on this axis, as the trials table stores it (null: sequence length of non-sequence data). */
    public Object value(TrialConfig trial) {
        return value.apply(trial);
    }

    /** The value as plain text, the same whether it comes from a {@link TrialConfig} or a trials-table row. */
    public String text(TrialConfig trial) {
        return textOf(value(trial));
    }

    /** Numbers without trailing zeros ("0.001", not "1.0E-3"), as the spec writes them; null as "null". */
    public static String textOf(Object value) {
        return value instanceof Double d ? Term.number(d) : String.valueOf(value);
    }

    /** The trials columns of all axes, in axis order. */
    public static List<String> columns() {
        return Arrays.stream(values()).map(GridAxis::column).toList();
    }

    /** Column headings of the axes in a console table: arch, T (only with {@code steps}), then one per COLUMN axis. */
    public static List<String> consoleHeader(boolean steps) {
        List<String> header = new ArrayList<>(List.of("arch"));
        header.addAll(steps ? List.of("T") : List.of());
        Arrays.stream(values()).filter(a -> a.console == Console.COLUMN).forEach(a -> header.add(a.column));
        return header;
    }

    /** The cells under {@link #consoleHeader(boolean)} for one trial. */
    public static List<Object> consoleRow(TrialConfig trial, boolean steps) {
        List<Object> row = new ArrayList<>(List.of(trial.architecture().label()));
        row.addAll(steps ? List.of(trial.dataset().length()) : List.of());
        Arrays.stream(values()).filter(a -> a.console == Console.COLUMN).forEach(a -> row.add(a.text(trial)));
        return row;
    }
}

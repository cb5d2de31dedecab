package io.gradsweep.ui;

import io.gradsweep.InvalidInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What colours a heatmap cell: the value of each trial ({@link #row}) and how a cell's trials are summarised. The
 * numeric ones leave out NaN and infinities (a diverged trial's loss), which would make every average NaN; such
 * trials still show in the cell's count and its diagnosis.
 */
enum Metric {
    ACCURACY("coalesce(test_accuracy, train_accuracy)", "avg"),
    LOSS("coalesce(test_loss, train_loss)", "avg"),
    GRAD_RATIO("grad_ratio", "median"),
    DIAGNOSIS(UiSql.DIAGNOSIS, "mode");

    private final String row;
    private final String aggregate;

    Metric(String row, String aggregate) {
        this.row = row;
        this.aggregate = aggregate;
    }

    String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The trial's own value. */
    String row() {
        return row;
    }

    /** The cell's value over its trials. */
    String sql() {
        return this == DIAGNOSIS ? aggregate + "(" + row + ")"
                : aggregate + "(" + row + ") FILTER (WHERE isfinite(" + row + "))";
    }

    static List<String> spellings() {
        return Arrays.stream(values()).map(Metric::spelling).toList();
    }

    static Metric of(String spelling) {
        return Arrays.stream(values()).filter(m -> m.spelling().equals(spelling)).findFirst()
                .orElseThrow(() -> new InvalidInputException("Cannot draw heatmap: 'metric' is '" + spelling
                        + "'; expected one of " + String.join(", ", spellings())));
    }
}

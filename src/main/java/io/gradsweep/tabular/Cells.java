package io.gradsweep.tabular;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/** Turns cells into float32 features and class-label keys, with the strict number syntax of the spec. */
final class Cells {
    /** Plain decimals only: Java's parsers would also take "0x1p3", "1f" or "Infinity". */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Cells() {
    }

    static float feature(Object cell, String column, RowReader rows) {
        float v;
        if (cell instanceof Boolean b) {
            v = b ? 1 : 0;
        } else if (cell instanceof Number n) {
            v = n.floatValue();
        } else if (cell instanceof String s && NUMBER.matcher(s).matches()) {
            v = Float.parseFloat(s); // directly, not via double: one correct rounding to float32
        } else {
            throw TableException.cell(column, rows.where(), cell, "a number");
        }
        if (!Float.isFinite(v)) {
            throw TableException.cell(column, rows.where(), cell, "a finite number in float32 range");
        }
        return v;
    }

    /**
     * A label's key: numbers in canonical decimal form, so "1", "1.0" and an INT32 1 are one class; anything else
     * as it is.
     */
    static String label(Object cell, String column, RowReader rows) {
        String text = cell instanceof Boolean || cell instanceof Number || cell instanceof String ? cell.toString() : "";
        if (cell instanceof Boolean) {
            return text;
        }
        if (NUMBER.matcher(text).matches()) {
            BigDecimal d = new BigDecimal(text);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (cell instanceof String && !text.isEmpty()) {
            return text;
        }
        throw TableException.cell(column, rows.where(), cell, "a class label");
    }

    /** Classes in id order: by value when every key is a number, else as sorted strings. */
    static List<String> classes(Collection<String> keys) {
        boolean numeric = keys.stream().allMatch(k -> NUMBER.matcher(k).matches());
        Comparator<String> order = numeric ? Comparator.comparing(BigDecimal::new) : Comparator.naturalOrder();
        return keys.stream().distinct().sorted(order).toList();
    }
}

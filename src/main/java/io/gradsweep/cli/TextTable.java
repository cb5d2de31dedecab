package io.gradsweep.cli;

import java.util.ArrayList;
import java.util.List;

/** A left-aligned plain-text table: what the CLI prints for plans, summaries and query results. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final java.util.Set<Integer> right = new java.util.HashSet<>();

    TextTable(String... header) {
        this.header = List.of(header);
    }

    /** Right-aligns a column (numbers), heading included. */
    TextTable alignRight(int column) {
        right.add(column);
        return this;
    }

    TextTable add(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "null" : c.toString());
        }
        rows.add(row);
        return this;
    }

    @Override
    public String toString() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w, right);
        List<String> rule = new ArrayList<>();
        for (int width : w) {
            rule.add("-".repeat(width));
        }
        line(sb, rule, w, right);
        for (List<String> r : rows) {
            line(sb, r, w, right);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w, java.util.Set<Integer> right) {
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            String pad = " ".repeat(w[i] - cell.length());
            boolean last = i == cells.size() - 1;
            sb.append(right.contains(i) ? pad + cell : last ? cell : cell + pad).append(last ? "" : "  ");
        }
        sb.append(System.lineSeparator());
    }
}

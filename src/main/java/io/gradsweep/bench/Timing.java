package io.gradsweep.bench;

import java.util.Arrays;

/** Repeated measurements of one quantity: the median and the spread (min, max) over the repeats. */
public record Timing(String name, double median, double min, double max, int repeats) {

    public static Timing of(String name, double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples for " + name);
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Timing(name, median, s[0], s[n - 1], n);
    }

    /** "123.4 (110.2–130.9)": the median with the range of the repeats. */
    public String text() {
        return String.format("%.1f (%.1f–%.1f)", median, min, max);
    }
}

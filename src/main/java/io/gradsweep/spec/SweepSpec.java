package io.gradsweep.spec;

import java.util.regex.Pattern;

/** A whole, validated sweep spec. */
public record SweepSpec(String name, DatasetSpec dataset, TrainSpec train, GridSpec grid, StatsSpec stats) {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    public SweepSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid sweep name " + name);
        }
    }
}

package io.gradsweep.spec;

import java.util.regex.Pattern;

/**
 * A whole, validated sweep spec. {@code sample} is null for a pure grid; otherwise every sampled axis holds, in
 * {@code grid}, the values its checks were run on (its {@link SampleAxis#envelope()}), and {@link Grid#expand}
 * replaces them with each point's values.
 */
public record SweepSpec(String name, DatasetSpec dataset, TrainSpec train, GridSpec grid, SampleSpec sample,
                        StatsSpec stats) {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final int UUID_LENGTH = 36;
    /**
     * The name is part of one path component, and ext4, XFS and HDFS (its default {@code max-component-length})
     * allow 255 bytes in one. The longest component made of it is a stale lock moved aside,
     * {@code sweep=<name>.lock.stale-<UUID>}: 255 less those 54 characters. (S3 has no component limit, only
     * 1024-byte keys, which the output root's length decides.)
     */
    public static final int MAX_NAME_LENGTH = 255 - "sweep=.lock.stale-".length() - UUID_LENGTH;

    public SweepSpec {
        if (name == null || !NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("invalid sweep name " + name);
        }
    }
}

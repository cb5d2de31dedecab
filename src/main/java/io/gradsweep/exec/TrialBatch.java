package io.gradsweep.exec;

import io.gradsweep.spec.TrialConfig;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The trials one task trains, as groups (see {@code vector.Groups}, possibly cut by {@link BatchPlanner}; a trial
 * DL4J trains is a group of one), in order of their first trial index. The key names the batch's output files, so it depends on the trials alone:
 * every attempt of a batch writes to the same names.
 */
public record TrialBatch(int index, List<List<TrialConfig>> groups) implements Serializable {
    public TrialBatch {
        groups = groups.stream().map(List::copyOf).toList();
        if (groups.isEmpty() || groups.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("empty batch or group");
        }
    }

    public List<TrialConfig> trials() {
        return groups.stream().flatMap(List::stream).toList();
    }

    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TrialConfig t : trials()) {
                sha.update(t.trialId().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) ',');
            }
            return String.format("b%05d-%s", index, HexFormat.of().formatHex(sha.digest(), 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

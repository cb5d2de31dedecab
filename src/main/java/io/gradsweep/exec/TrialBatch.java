package io.gradsweep.exec;

import io.gradsweep.spec.TrialConfig;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The trials one task trains, in index order. The key names the batch's output files, so it depends on the
 * trials alone: every attempt of a batch writes to the same names.
 */
public record TrialBatch(int index, List<TrialConfig> trials) implements Serializable {
    public TrialBatch {
        trials = List.copyOf(trials);
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("empty batch");
        }
    }

    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (TrialConfig t : trials) {
                sha.update(t.trialId().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) ',');
            }
            return String.format("b%05d-%s", index, HexFormat.of().formatHex(sha.digest(), 0, 4));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}

package io.gradsweep.stats;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each trainable parameter tensor sits in the network's single flattened parameter (and gradient) vector, so
 * that one copy of that vector serves the statistics of every parameter.
 */
public record ParamLayout(List<Segment> segments) implements Serializable {
    /**
     * Batch normalization's running mean and variance live in the flat vector too, but DL4J updates them through
     * the gradient view with a no-op updater; they are statistics of the data, not gradients, so they are kept out
     * of the layout (and batch norm is not combined with DL4J's per-layer clipping, which would count them).
     */
    private static final Set<String> RUNNING_STATS = Set.of("mean", "var", "log10stdev");

    /**
     * One parameter tensor: logical layer (0 = first hidden layer), param name, its slice of the flat vector, and
     * the DL4J layer that owns it (DL4J clips per DL4J layer, and a logical layer may span several, e.g. dense+BN).
     */
    public record Segment(int layer, String param, int offset, int length, String owner) implements Serializable {
    }

    public ParamLayout {
        segments = List.copyOf(segments);
    }

    /**
     * From DL4J's param table, whose keys are "owner_param" in flattened order; {@code owners} maps the owner part
     * (DL4J layer index or graph vertex name) to the logical layer.
     */
    public static ParamLayout of(Map<String, INDArray> paramTable, Map<String, Integer> owners) {
        List<Segment> segments = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
            String key = e.getKey();
            int sep = key.indexOf('_');
            String param = key.substring(sep + 1);
            int length = (int) e.getValue().length();
            String owner = key.substring(0, sep);
            Integer layer = owners.get(owner);
            if (layer == null) {
                throw new IllegalArgumentException("no logical layer for parameter " + key);
            }
            if (!RUNNING_STATS.contains(param)) {
                segments.add(new Segment(layer, param, offset, length, owner));
            }
            offset += length;
        }
        return new ParamLayout(segments);
    }

    /** Whether the segments tile the whole flat vector of {@code length} elements, i.e. nothing was skipped. */
    public boolean covers(long length) {
        return segments.stream().mapToLong(Segment::length).sum() == length;
    }

    /** Index of the weight segment of {@code layer}, or -1. */
    public int weightIndex(int layer) {
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).layer() == layer && segments.get(i).param().equals("W")) {
                return i;
            }
        }
        return -1;
    }
}

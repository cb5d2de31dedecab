package io.gradsweep.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each layer's parameters sit in the network's single flattened parameter (and gradient) vector, so that one
 * copy of that vector serves the statistics of every parameter.
 */
public record ParamLayout(List<Segment> segments) {

    /** One parameter tensor: layer index (0 = first hidden layer), "W" or "b", and its slice of the flat vector. */
    public record Segment(int layer, String param, int offset, int length) {
    }

    public ParamLayout {
        segments = List.copyOf(segments);
    }

    /** From DL4J's param table, whose keys are "layer_param" in flattened order. */
    public static ParamLayout of(Map<String, INDArray> paramTable) {
        List<Segment> segments = new ArrayList<>();
        int offset = 0;
        for (Map.Entry<String, INDArray> e : paramTable.entrySet()) {
            String key = e.getKey();
            int sep = key.indexOf('_');
            int length = (int) e.getValue().length();
            segments.add(new Segment(Integer.parseInt(key.substring(0, sep)), key.substring(sep + 1), offset, length));
            offset += length;
        }
        return new ParamLayout(segments);
    }

    public int totalLength() {
        Segment last = segments.get(segments.size() - 1);
        return last.offset() + last.length();
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

package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The {@code grid} section: every axis is a list; optional axes default to a single value. */
final class GridParser {
    private GridParser() {
    }

    /**
     * @param sampled for each axis of the {@code sample:} block, the values the cross-axis checks must accept (see
     *                {@link SampleAxis#envelope()}); they stand in for the axis, which the grid then lacks
     */
    static GridSpec grid(SpecNode g, DatasetSpec dataset, Map<GridAxis, List<Object>> sampled) {
        if (dataset.sequence() && !g.get("model").present()) {
            throw SpecException.expected("grid.model", null, String.join(" or ", models(dataset))
                    + " for dataset " + dataset.name());
        }
        List<String> models = optional(g.get("model"), Architecture.MLP, (n, p) -> model(n, dataset));
        boolean perLayer = g.get("widths").present();
        if (perLayer && (g.get("depth").present() || g.get("width").present())) {
            SpecNode extra = g.get("depth").present() ? g.get("depth") : g.get("width");
            throw SpecException.expected(extra.path(), extra.toString(),
                    "no '" + extra.path().substring(5) + "' next to 'grid.widths'; give either widths or depth and"
                            + " width");
        }
        Axes a = new Axes(g, sampled);
        GridSpec spec = new GridSpec(models, sequenceLengths(g.get("sequence_length"), dataset),
                a.required(GridAxis.ACTIVATION),
                perLayer ? List.of() : a.required(GridAxis.DEPTH),
                perLayer ? List.of() : a.required(GridAxis.WIDTH),
                perLayer ? g.get("widths").list((n, p) -> widths(n)) : List.of(),
                optional(g.get("batch_norm"), false, (n, p) -> n.bool()),
                optional(g.get("residual"), false, (n, p) -> n.bool()),
                a.optional(GridAxis.INITIALIZER, "glorot_uniform"),
                a.optional(GridAxis.OPTIMIZER, "adam"),
                a.optional(GridAxis.LEARNING_RATE, 0.001),
                a.optional(GridAxis.CLIPPING, "none"),
                a.optional(GridAxis.DROPOUT, 0.0),
                optional(g.get("seed"), 0L, (n, p) -> n.integer(0, Long.MAX_VALUE)));
        requireEqualWidthsForSkips(g, spec);
        requireClippingWithoutRunningStats(spec);
        requireFeedForwardOptionsOff(spec);
        return spec;
    }

    /** One value of an axis that both the grid and the sample block can hold, parsed and range-checked. */
    static Object item(GridAxis axis, SpecNode n) {
        String p = n.path();
        return switch (axis) {
            case ACTIVATION -> Activation.parse(p, n.string());
            case DEPTH -> (int) n.integer(1, 1000);
            case WIDTH -> (int) n.integer(1, 100_000);
            case INITIALIZER -> Initializer.parse(p, n.string());
            case OPTIMIZER -> Optimizer.parse(p, n.string());
            case LEARNING_RATE -> n.number(0, 1e6, true, "a number in (0, 1e6]");
            case CLIPPING -> Clipping.parse(p, n.string());
            case DROPOUT -> n.number(0, 0.95, false, "a dropout rate in [0, 0.95]");
            default -> throw new IllegalArgumentException("axis " + axis + " has its own parser");
        };
    }

    /** The axes {@link #item} parses, each from the grid or, when sampled, from its envelope. */
    private record Axes(SpecNode g, Map<GridAxis, List<Object>> sampled) {
        @SuppressWarnings("unchecked")
        <T> List<T> required(GridAxis axis) {
            List<Object> stand = sampled.get(axis);
            return (List<T>) (stand != null ? stand : g.get(axis.column()).list((n, p) -> item(axis, n)));
        }

        @SuppressWarnings("unchecked")
        <T> List<T> optional(GridAxis axis, Object fallback) {
            List<Object> stand = sampled.get(axis);
            return (List<T>) (stand != null ? stand
                    : GridParser.optional(g.get(axis.column()), fallback, (n, p) -> item(axis, n)));
        }
    }

    private static String model(SpecNode n, DatasetSpec dataset) {
        String model = n.string();
        if (!Architecture.MODELS.contains(model)) {
            throw SpecException.choice(n.path(), model, Architecture.MODELS);
        }
        if (!models(dataset).contains(model)) {
            throw SpecException.expected(n.path(), model, String.join(" or ", models(dataset)) + " for dataset "
                    + dataset.name() + " (" + needs(model) + ")");
        }
        return model;
    }

    /** The models that can read a dataset's examples. */
    private static List<String> models(DatasetSpec dataset) {
        if (dataset.sequence()) {
            return List.of(Architecture.SIMPLE_RNN, Architecture.LSTM);
        }
        return dataset.name().equals("mnist") ? List.of(Architecture.MLP, Architecture.CNN) : List.of(Architecture.MLP);
    }

    private static String needs(String model) {
        return switch (model) {
            case Architecture.CNN -> "cnn needs 28x28 images: dataset mnist";
            case Architecture.MLP -> "mlp needs one feature vector per example, not a sequence";
            default -> model + " needs sequences: dataset " + DatasetSpec.ADDING;
        };
    }

    /** The {@code sequence_length} axis: it replaces {@code dataset.length} trial by trial; empty when absent. */
    private static List<Integer> sequenceLengths(SpecNode axis, DatasetSpec dataset) {
        if (!axis.present()) {
            return List.of();
        }
        if (!dataset.sequence()) {
            throw SpecException.expected(axis.path(), axis.toString(), "no 'sequence_length' for dataset "
                    + dataset.name() + "; it applies to " + DatasetSpec.ADDING + " only");
        }
        return axis.list((n, p) -> SpecParser.sequenceLength(n, dataset.samples(), 0));
    }

    /** Batch normalization, skips and dropout are implemented for feed-forward layers only. */
    private static void requireFeedForwardOptionsOff(GridSpec spec) {
        String rnn = spec.model().stream().filter(Architecture::recurrent).findFirst().orElse(null);
        if (rnn == null) {
            return;
        }
        String why = " for model " + rnn + " (recurrent models have no ";
        int bn = spec.batchNorm().indexOf(true);
        if (bn >= 0) {
            throw SpecException.expected("grid.batch_norm[" + bn + "]", true, "false" + why + "batch-norm variant)");
        }
        int skip = spec.residual().indexOf(true);
        if (skip >= 0) {
            throw SpecException.expected("grid.residual[" + skip + "]", true, "false" + why + "residual variant)");
        }
        for (int i = 0; i < spec.dropout().size(); i++) {
            if (spec.dropout().get(i) > 0) {
                throw SpecException.expected("grid.dropout[" + i + "]", spec.dropout().get(i), "0" + why
                        + "dropout)");
            }
        }
    }

    /** One shape: a list of per-layer widths. A bare number is refused: it is almost always a missing bracket. */
    private static List<Integer> widths(SpecNode n) {
        if (!n.isList()) {
            throw SpecException.expected(n.path(), n.toString(), "a list of per-layer widths such as"
                    + " [256, 256, 128] (write widths: [[256, 256, 128]])");
        }
        List<Integer> out = new ArrayList<>();
        int depth = n.size();
        if (depth < 1 || depth > 1000) {
            throw SpecException.expected(n.path(), n.toString(), "between 1 and 1000 layer widths");
        }
        for (int i = 0; i < depth; i++) {
            out.add((int) n.item(i).integer(1, 100_000));
        }
        return out;
    }

    private static void requireEqualWidthsForSkips(SpecNode g, GridSpec spec) {
        if (!spec.residual().contains(true)) {
            return;
        }
        List<List<Integer>> widths = spec.widths();
        for (int i = 0; i < widths.size(); i++) {
            if (!Architecture.uniform(widths.get(i))) {
                throw SpecException.expected("grid.residual", true, "false when 'grid.widths[" + i + "]' is "
                        + widths.get(i) + " (identity skip connections need equal widths)");
            }
        }
    }

    /**
     * DL4J's per-layer clipping treats batch norm's running mean and variance deltas as part of the layer's
     * gradient, so it rescales the running statistics and clips gamma and beta by a norm that is not theirs.
     */
    private static void requireClippingWithoutRunningStats(GridSpec spec) {
        if (!spec.batchNorm().contains(true)) {
            return;
        }
        for (int i = 0; i < spec.clipping().size(); i++) {
            if (spec.clipping().get(i).mode() == Clipping.Mode.LAYER_NORM) {
                throw SpecException.expected("grid.clipping[" + i + "]", spec.clipping().get(i).toString(),
                        "none, norm(c), value(c) or global_norm(c) when batch_norm is true (DL4J's per-layer"
                                + " clipping would also rescale batch norm's running statistics)");
            }
        }
    }

    private static <T, D> List<T> optional(SpecNode axis, D fallback, BiFunction<SpecNode, String, T> item) {
        if (!axis.present()) {
            return List.of(item.apply(SpecNode.of(fallback, axis.path() + "[0]"), axis.path()));
        }
        return axis.list(item);
    }
}

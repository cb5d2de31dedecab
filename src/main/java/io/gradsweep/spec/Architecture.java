package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The network shape of a trial: the model family, one width per hidden layer (units, channels for a CNN, hidden
 * units for a recurrent layer), and whether hidden layers get batch normalization and identity skip connections.
 *
 * <p>{@code explicitWidths} records whether the spec gave {@code widths} or {@code depth} x {@code width}; it only
 * changes the canonical text, so that specs written before per-layer widths existed keep their trial ids.
 */
public record Architecture(String model, List<Integer> widths, boolean explicitWidths, boolean batchNorm,
                           boolean residual) implements Serializable {
    public static final String MLP = "mlp";
    public static final String CNN = "cnn";
    public static final String SIMPLE_RNN = "simple_rnn";
    public static final String LSTM = "lstm";
    /** DL4J 1.0.0-M2 has GRU only as a SameDiff op, not as a trainable layer, so there is no {@code gru}. */
    public static final List<String> MODELS = List.of(MLP, CNN, SIMPLE_RNN, LSTM);

    public Architecture {
        widths = List.copyOf(widths);
        if (!MODELS.contains(model) || widths.isEmpty() || widths.stream().anyMatch(w -> w < 1)
                || (recurrent(model) && (batchNorm || residual))) {
            throw new IllegalArgumentException("invalid architecture " + model + " " + widths);
        }
        if (residual && !uniform(widths)) {
            throw new IllegalArgumentException("identity skips need equal widths, got " + widths);
        }
    }

    /** {@code depth} hidden layers of {@code width} units. */
    public static Architecture of(String model, int depth, int width, boolean batchNorm, boolean residual) {
        return new Architecture(model, java.util.Collections.nCopies(depth, width), false, batchNorm, residual);
    }

    /** Stacked recurrent layers that read a sequence, rather than layers that read one feature vector. */
    public static boolean recurrent(String model) {
        return model.equals(SIMPLE_RNN) || model.equals(LSTM);
    }

    public boolean recurrent() {
        return recurrent(model);
    }

    public int depth() {
        return widths.size();
    }

    /** The widest hidden layer: the width itself unless per-layer widths differ. */
    public int width() {
        return widths.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /** Per-layer widths as the {@code widths} column shows them, e.g. "256,256,128". */
    public String widthsText() {
        return widths.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Short form for tables: the model, per-layer widths when given, and +bn / +skip, e.g. "mlp+bn". */
    public String label() {
        return model + (explicitWidths ? "[" + widthsText() + "]" : "") + (batchNorm ? "+bn" : "")
                + (residual ? "+skip" : "");
    }

    static boolean uniform(List<Integer> widths) {
        return widths.stream().distinct().count() == 1;
    }

    /** The id-relevant text; options at their defaults are left out so older specs keep their ids. */
    String canonical() {
        return (model.equals(MLP) ? "" : ";model=" + model)
                + (explicitWidths ? ";widths=" + widthsText() : ";depth=" + depth() + ";width=" + width())
                + (batchNorm ? ";batch_norm=true" : "") + (residual ? ";residual=true" : "");
    }
}

package io.gradsweep.spec;

import java.util.List;

/**
 * The engine that trains a trial: {@code dl4j} trains it alone as a DL4J network; {@code vector} trains it inside
 * a group of compatible trials as one batched computation; {@code dl4j-spark} trains it across the cluster with
 * DL4J's parameter averaging ({@code train.mode: data-parallel}). A spec chooses with {@link Choice}; the choice
 * does not enter trial ids: both local engines compute the same numbers (see the README's "Execution engines").
 */
public enum Engine {
    DL4J("dl4j"), VECTOR("vector"), DL4J_SPARK("dl4j-spark");

    /** {@code train.engine}: {@code auto} (the default) picks vector wherever that engine can train the trial. */
    public enum Choice {
        AUTO("auto"), DL4J("dl4j"), VECTOR("vector");

        private final String spelling;

        Choice(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }

        public static Choice fromName(String keyPath, String name) {
            return Terms.fromName(values(), Choice::spelling, keyPath, name);
        }
    }

    /** Most trials trained together; larger groups amortise more but hold more memory. */
    public static final int DEFAULT_GROUP_SIZE = 64;
    static final String VECTOR_SCOPE = "the vector engine trains MLPs and CNNs with or without batch_norm and "
            + "residual, simple_rnn and lstm: no batch_norm or residual in recurrent nets, dropout only in MLPs "
            + "without residual; use engine auto or dl4j";
    /** The model families the vector engine trains (bit-exact against DL4J, see the Vector*ExactnessTest classes). */
    private static final List<String> VECTOR_MODELS = List.of(Architecture.MLP, Architecture.CNN,
            Architecture.SIMPLE_RNN, Architecture.LSTM);

    private final String spelling;

    Engine(String spelling) {
        this.spelling = spelling;
    }

    /** The name in the trials table's {@code engine} column. */
    public String spelling() {
        return spelling;
    }

    /** The engine that trains {@code t} under its spec's {@code train.mode} and {@code train.engine}. */
    public static Engine of(TrialConfig t) {
        if (t.train().isDataParallel()) {
            return DL4J_SPARK;
        }
        return switch (t.train().engine()) {
            case DL4J -> DL4J;
            case AUTO, VECTOR -> vectorRefusal(t) == null ? VECTOR : DL4J;
        };
    }

    /** Why the vector engine cannot train {@code t}, or null when it can. */
    public static String vectorRefusal(TrialConfig t) {
        Architecture a = t.architecture();
        if (!VECTOR_MODELS.contains(a.model())) {
            return "model " + a.model();
        }
        // Batch norm and skips: the vector engine has both for mlp and cnn, and recurrent nets have neither.
        // Dropout: DL4J's masks are reproduced for MultiLayerNetwork MLPs (see vector.DropoutMasks) only.
        boolean dropsOutsideMlp = !a.model().equals(Architecture.MLP) || a.residual();
        return t.dropout() > 0 && dropsOutsideMlp ? "dropout" : null;
    }

    /** With {@code train.engine: vector}, the first grid value the vector engine cannot train is a spec error. */
    static void requireVectorCapable(GridSpec g) {
        String scope = " with train.engine vector (" + VECTOR_SCOPE + ")";
        refuse("grid.model", g.model(), m -> !VECTOR_MODELS.contains(m), "mlp, cnn, simple_rnn or lstm" + scope);
        if (g.model().stream().anyMatch(Architecture::recurrent)) { // batch norm, skips: mlp and cnn only
            refuse("grid.batch_norm", g.batchNorm(), b -> b, "false" + scope);
            refuse("grid.residual", g.residual(), r -> r, "false" + scope);
        }
        if (g.model().contains(Architecture.CNN) || g.residual().contains(true)) {
            refuse("grid.dropout", g.dropout(), d -> d > 0, "0" + scope);
        }
    }

    /** Recurrent nets need the local trainer's per-step probes; data-parallel training has no such loop. */
    static void requireDataParallelCapable(GridSpec g) {
        refuse("grid.model", g.model(), Architecture::recurrent, "mlp or cnn with train.mode data-parallel "
                + "(recurrent models train in local mode only)");
    }

    private static <T> void refuse(String axis, List<T> values, java.util.function.Predicate<T> unsupported,
                                   String expected) {
        for (int i = 0; i < values.size(); i++) {
            if (unsupported.test(values.get(i))) {
                throw SpecException.expected(axis + "[" + i + "]", values.get(i), expected);
            }
        }
    }
}

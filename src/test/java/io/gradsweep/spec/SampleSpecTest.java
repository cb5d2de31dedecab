package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The draw of a sample block: pinned values and ids, canonical values, and how well Sobol points spread. */
class SampleSpecTest {
    static SweepSpec spec(String grid, String sample) {
        return SpecParser.parse("""
                name: pin
                dataset: {name: circles, samples: 100}
                train: {epochs: 1, batch_size: 10}
                grid: {%s}
                sample:
                %s
                """.formatted(grid, sample.indent(2).stripTrailing()));
    }

    private static final String THREE_AXES = """
            n: 4
            method: %s
            seed: 7
            learning_rate: loguniform(1e-4, 1)
            depth: int(2, 6)
            activation: choice(tanh, relu)
            """;

    private static List<String> ids(SweepSpec s) {
        return Grid.expand(s, 1000).stream().map(TrialConfig::trialId).toList();
    }

    /** Another machine, JVM or release must draw these very values, or every sampled sweep's ids change. */
    @Test
    void theRandomDrawIsPinned() {
        SweepSpec s = spec("width: [3]", THREE_AXES.formatted("random"));
        assertThat(s.sample().unitPoints()[0]).containsExactly(0.8081671403801955, 0.2162209380373481,
                0.31637614780280265);
        assertThat(s.sample().points()).containsExactly(
                List.of(Activation.parse("a", "relu"), 3, 0.00184291), List.of(Activation.parse("a", "relu"), 5, 0.139981),
                List.of(Activation.parse("a", "relu"), 6, 0.0517937), List.of(Activation.parse("a", "relu"), 6, 0.0169093));
        assertThat(ids(s)).containsExactly("700e0c8b5a8b", "87d2166438b9", "fb52b7ba1b3b", "75c54608e054");
    }

    @Test
    void theSobolDrawIsPinned() {
        SweepSpec s = spec("width: [3]", THREE_AXES.formatted("sobol"));
        assertThat(s.sample().unitPoints()[0]).containsExactly(0.25260611824365076, 0.6409774062164622,
                0.8766697652265472);
        // the digital shift is XOR: the first point is the mask, the second differs from it in the top bit only
        assertThat(s.sample().unitPoints()[1]).containsExactly(0.7526061182436508, 0.14097740621646215,
                0.37666976522654716);
        assertThat(s.sample().points()).containsExactly(
                List.of(Activation.parse("a", "tanh"), 5, 0.321129), List.of(Activation.parse("a", "relu"), 2, 0.00321129),
                List.of(Activation.parse("a", "relu"), 6, 0.0321129), List.of(Activation.parse("a", "tanh"), 3, 0.000321129));
        assertThat(ids(s)).containsExactly("f6b24b465ff9", "357278fadeec", "3a4443877d5a", "c4c488909e47");
    }

    @Test
    void theDrawDependsOnTheBlockNotOnKeyOrderAndTheSeedChangesIt() {
        SweepSpec s = spec("width: [3]", THREE_AXES.formatted("sobol"));
        SweepSpec reordered = spec("width: [3]", """
                activation: choice(tanh, relu)
                seed: 7
                depth: int(2, 6)
                learning_rate: loguniform(0.0001, 1.0)
                method: sobol
                n: 4
                """);
        assertThat(ids(reordered)).isEqualTo(ids(s));
        assertThat(ids(spec("width: [3]", THREE_AXES.formatted("sobol").replace("seed: 7", "seed: 8"))))
                .doesNotContainAnyElementsOf(ids(s));
    }

    /** A sampled value is rounded to 6 digits, so its trial is the grid trial of that value, id and all. */
    @Test
    void aSampledTrialIsTheGridTrialOfItsValue() {
        SweepSpec sampled = spec("activation: [relu], width: [3], depth: [3]",
                "n: 4\nmethod: random\nseed: 7\nlearning_rate: loguniform(1e-4, 1)");
        List<TrialConfig> trials = Grid.expand(sampled, 10);
        double lr = trials.get(1).learningRate();
        assertThat(Term.number(lr)).hasSizeLessThanOrEqualTo("0.".length() + 6 + 5);
        TrialConfig gridded = Grid.expand(SpecParser.parse("""
                name: pin
                dataset: {name: circles, samples: 100}
                train: {epochs: 1, batch_size: 10}
                grid: {activation: [relu], width: [3], depth: [3], learning_rate: [%s]}
                """.formatted(Term.number(lr))), 1).get(0);
        assertThat(gridded.trialId()).isEqualTo(trials.get(1).trialId());
    }

    @Test
    void theSweepIsTheGridTimesThePointsWithRepeatedDrawsDropped() {
        SweepSpec s = spec("activation: [tanh], width: [3], depth: [2], optimizer: [sgd, adam], seed: [1, 2]",
                "n: 5\nlearning_rate: loguniform(1e-3, 1e-1)");
        List<TrialConfig> trials = Grid.expand(s, 100);
        assertThat(trials).hasSize(20);
        // points outermost: the first point's four grid trials share its rate
        assertThat(trials.subList(0, 4)).extracting(TrialConfig::learningRate).containsOnly(trials.get(0).learningRate());
        assertThat(trials.subList(0, 4)).extracting(t -> t.optimizer().toString() + t.seed())
                .containsExactly("sgd1", "sgd2", "adam1", "adam2");
        // int(1, 3) has three values: ten draws give at most three distinct points (seed 0 draws 1 and 3 only, 1 first)
        SweepSpec ints = spec("activation: [tanh], width: [3]", "n: 10\nmethod: random\ndepth: int(1, 3)");
        assertThat(ints.sample().points()).extracting(p -> p.get(0)).containsExactly(1, 3);
        assertThat(Grid.expand(ints, 100)).extracting(TrialConfig::depth).containsExactly(1, 3);
        SweepSpec many = spec("activation: [tanh], width: [3]", "n: 300\nmethod: random\ndepth: int(1, 3)");
        assertThat(many.sample().points()).extracting(p -> p.get(0)).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void loguniformValuesStayInsideTheirBoundsAndCoverTheDecadesEvenly() {
        SweepSpec s = spec("activation: [tanh], width: [3], depth: [2]", "n: 64\nlearning_rate: loguniform(1e-4, 1)");
        List<Double> rates = Grid.expand(s, 100).stream().map(TrialConfig::learningRate).toList();
        assertThat(rates).hasSize(64).allMatch(r -> r >= 1e-4 && r <= 1);
        for (int decade = -4; decade < 0; decade++) { // 64 Sobol points in one dimension: 16 per decade
            double lo = Math.pow(10, decade);
            assertThat(rates.stream().filter(r -> r >= lo && r < lo * 10).count()).as("decade %d", decade)
                    .isEqualTo(16);
        }
    }

    /**
     * The first 64 points of a 2-D Sobol sequence form a (0,6,2)-net: every cell of an 8 x 8 grid holds exactly one,
     * and a digital shift keeps that. 64 random points leave about 23 cells empty. The L2-star discrepancy
     * (Warnock's formula) says the same for the whole square.
     */
    @Test
    void sobolPointsAreBetterSpreadThanRandomOnes() {
        for (long seed = 0; seed < 10; seed++) {
            String block = "n: 64\nseed: " + seed + "\nlearning_rate: loguniform(1e-4, 1)\ndropout: uniform(0, 0.5)"
                    + "\nmethod: ";
            double[][] sobol = spec("activation: [tanh], width: [3], depth: [2]", block + "sobol").sample().unitPoints();
            double[][] random = spec("activation: [tanh], width: [3], depth: [2]", block + "random").sample()
                    .unitPoints();
            assertThat(occupiedCells(sobol)).as("seed %d", seed).isEqualTo(64);
            assertThat(occupiedCells(random)).as("seed %d", seed).isLessThan(52);
            assertThat(l2StarDiscrepancy(sobol)).as("seed %d", seed).isLessThan(l2StarDiscrepancy(random) / 2);
        }
    }

    private static int occupiedCells(double[][] points) {
        boolean[] seen = new boolean[64];
        for (double[] p : points) {
            seen[(int) (p[0] * 8) * 8 + (int) (p[1] * 8)] = true;
        }
        int n = 0;
        for (boolean b : seen) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Warnock (1972): T^2 = 3^-d - 2^(1-d)/N sum_i prod_k (1 - x_ik^2) + 1/N^2 sum_i,j prod_k (1 - max(x_ik, x_jk)). */
    static double l2StarDiscrepancy(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double a = 0;
        for (double[] p : x) {
            double prod = 1;
            for (double v : p) {
                prod *= 1 - v * v;
            }
            a += prod;
        }
        double b = 0;
        for (double[] p : x) {
            for (double[] q : x) {
                double prod = 1;
                for (int k = 0; k < d; k++) {
                    prod *= 1 - Math.max(p[k], q[k]);
                }
                b += prod;
            }
        }
        return Math.sqrt(Math.pow(3, -d) - Math.pow(2, 1 - d) / n * a + b / ((double) n * n));
    }
}

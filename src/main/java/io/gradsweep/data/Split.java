package io.gradsweep.data;

import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.Scaling;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import java.util.Random;

/**
 * Train/test split and feature scaling. The scaler is fitted on the training part only, so no test statistics leak
 * into training. With {@code test_fraction: 0} the test part is absent and evaluation uses the training set.
 */
public record Split(Dataset train, Dataset test) {

    public boolean hasTest() {
        return test != null;
    }

    public static Split of(DatasetSpec spec) {
        return of(spec, new Configuration());
    }

    /** Generates or reads (files through {@code conf}'s FileSystems), then splits and scales, a spec's dataset. */
    public static Split of(DatasetSpec spec, Configuration conf) {
        Dataset all = spec.idx() != null ? Idx.read(spec.idx(), spec.samples(), conf)
                : spec.table() != null ? Table.read(spec.table(), conf) : spec.sequence() ? Adding.generate(spec) : Synthetic.generate(spec);
        int testSize = spec.testSize();
        Dataset train = all;
        Dataset test = null;
        if (testSize > 0) {
            // A separate stream from generation, so changing test_fraction does not change the points.
            int[] order = Synthetic.permutation(all.size(), new Random(spec.seed() ^ 0x5DEECE66DL));
            test = all.select(Arrays.copyOfRange(order, 0, testSize));
            train = all.select(Arrays.copyOfRange(order, testSize, order.length));
        }
        Scaler scaler = Scaler.fit(spec.scale(), train);
        return new Split(scaler.apply(train), test == null ? null : scaler.apply(test));
    }

    /** Per-column affine map x' = x * mul + add; a column is one feature of one step. */
    record Scaler(double[] mul, double[] add) {
        static Scaler fit(Scaling scaling, Dataset d) {
            int f = d.rowLength();
            double[] mul = new double[f];
            double[] add = new double[f];
            Arrays.fill(mul, 1);
            for (int c = 0; c < f; c++) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                double sumSq = 0;
                for (int r = 0; r < d.size(); r++) {
                    double v = d.feature(r, c);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    sumSq += v * v;
                }
                double mean = sum / d.size();
                double std = Math.sqrt(Math.max(0, sumSq / d.size() - mean * mean));
                switch (scaling.name()) {
                    case "minmax" -> {
                        double lo = scaling.term().arg(0);
                        double hi = scaling.term().arg(1);
                        mul[c] = max > min ? (hi - lo) / (max - min) : 1;
                        add[c] = lo - min * mul[c];
                    }
                    case "standard" -> {
                        mul[c] = std > 0 ? 1 / std : 1;
                        add[c] = -mean * mul[c];
                    }
                    default -> { }
                }
            }
            return new Scaler(mul, add);
        }

        Dataset apply(Dataset d) {
            float[] x = d.features().clone();
            int f = d.rowLength();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (x[i] * mul[i % f] + add[i % f]);
            }
            return d.withFeatures(x);
        }
    }
}

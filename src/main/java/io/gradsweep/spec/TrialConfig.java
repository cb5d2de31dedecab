package io.gradsweep.spec;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One point of the grid plus everything shared that determines its numbers. Its {@link #trialId()} is a hash of
 * {@link #canonical()}, so identical specs give identical ids on any cluster, run after run.
 */
public record TrialConfig(int index, String sweep, DatasetSpec dataset, TrainSpec train, StatsSpec stats,
                          Activation activation, Architecture architecture, Initializer initializer,
                          Optimizer optimizer, double learningRate, Clipping clipping, double dropout, long seed)
        implements Serializable {

    public TrialConfig {
        if (architecture == null || !(learningRate > 0) || dropout < 0 || dropout >= 1
                || (architecture.recurrent() && (dropout > 0 || !dataset.sequence()))) {
            throw new IllegalArgumentException("invalid trial " + index);
        }
    }

    /** Hidden layers (or conv blocks). */
    public int depth() {
        return architecture.depth();
    }

    /** Units (or channels) of the widest hidden layer. */
    public int width() {
        return architecture.width();
    }

    /** Every input that changes what a trial writes, in a fixed order with canonical number formatting. */
    public String canonical() {
        return "sweep=" + sweep + ";dataset=" + dataset.canonical() + ";epochs=" + train.epochs()
                + ";batch_size=" + train.batchSize() + ";stats_every=" + stats.every()
                + ";activation=" + activation + architecture.canonical()
                + ";initializer=" + initializer + ";optimizer=" + optimizer
                + ";learning_rate=" + Term.number(learningRate) + ";clipping=" + clipping
                // Only when used, so the ids of sweeps without dropout did not change when the axis was added.
                + (dropout > 0 ? ";dropout=" + Term.number(dropout) : "") + ";seed=" + seed
                + (train.isDataParallel() ? train.dataParallel().canonical() : "");
    }

    /** First 12 hex digits (48 bits) of SHA-256: collisions are negligible below millions of trials. */
    public String trialId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Minibatch updates the trial performs when it runs to completion; for a data-parallel trial, the updates of
     * one worker (each averaging round counts averaging_frequency, as DL4J counts it).
     */
    public long totalIterations() {
        DataParallel dp = train.dataParallel();
        if (dp != null) {
            return dp.rounds(dataset.trainSize()) * dp.averagingFrequency() * train.epochs();
        }
        long perEpoch = (dataset.trainSize() + train.batchSize() - 1) / train.batchSize();
        return perEpoch * train.epochs();
    }
}

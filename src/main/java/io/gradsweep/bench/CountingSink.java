package io.gradsweep.bench;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialSink;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * A sink that keeps nothing, so that timings measure training and statistics but not Parquet, and heap readings
 * show what training itself retains. Optionally reads the heap after a full GC at the end of the first epoch and
 * of every {@code heapEvery}-th epoch after it: a full GC per epoch would make a 1000-epoch trial mostly GC.
 */
public final class CountingSink implements TrialSink {
    private final int heapEvery;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long rows;
    private int epochs;
    private long firstHeap = -1;
    private long largestHeap;
    private long lastHeap;
    private int heapReadings;

    /** Counts rows only. */
    public CountingSink() {
        this(0);
    }

    /** Also reads the heap every {@code heapEvery} epochs (0: never). */
    public CountingSink(int heapEvery) {
        this.heapEvery = heapEvery;
    }

    public long rows() {
        return rows;
    }

    /** The heap readings so far, in bytes; null when none was taken. */
    public HeapReading heap() {
        return heapReadings == 0 ? null : new HeapReading(firstHeap, largestHeap, lastHeap, heapReadings);
    }

    @Override
    public void gradient(GradientRow row) {
        rows++;
    }

    @Override
    public void activation(ActivationRow row) {
        rows++;
    }

    @Override
    public void histogram(HistogramRow row) {
        rows++;
    }

    @Override
    public void timestepGradient(TimestepRow row) {
        rows++;
    }

    @Override
    public void epoch(EpochRow row) {
        rows++;
        epochs++;
        if (heapEvery > 0 && (epochs == 1 || epochs % heapEvery == 0)) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            firstHeap = firstHeap < 0 ? used : firstHeap;
            largestHeap = Math.max(largestHeap, used);
            lastHeap = used;
            heapReadings++;
        }
    }

    /** Heap used after a full GC: after the first epoch, the largest and the last reading, and how many there were. */
    public record HeapReading(long afterFirstEpoch, long largest, long last, int readings) {
    }
}

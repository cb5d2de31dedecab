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
 * show what training itself retains. Optionally samples the heap after a full GC at the end of every epoch.
 */
final class CountingSink implements TrialSink {
    private final boolean sampleHeap;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long rows;
    long maxHeapAfterGc;
    long firstHeapAfterGc = -1;

    CountingSink(boolean sampleHeap) {
        this.sampleHeap = sampleHeap;
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
        if (sampleHeap) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            if (firstHeapAfterGc < 0) {
                firstHeapAfterGc = used;
            }
            maxHeapAfterGc = Math.max(maxHeapAfterGc, used);
        }
    }
}

package io.gradsweep.bench;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialSink;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Pointer;

/**
 * A sink that keeps nothing, so that timings measure training and statistics but not Parquet, and heap readings
 * show what training itself retains. Optionally reads the heap after full GCs at the end of the first epoch and
 * of every {@code heapEvery}-th epoch after it: a reading per epoch would make a 1000-epoch trial mostly GC.
 */
public final class CountingSink implements TrialSink {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final int heapEvery;
    private final LongSupplier heapReader;
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
        this(heapEvery, CountingSink::settledHeap);
    }

    /** With the heap read by {@code heapReader}: tests script the readings, which a real heap cannot pin down. */
    CountingSink(int heapEvery, LongSupplier heapReader) {
        this.heapEvery = heapEvery;
        this.heapReader = heapReader;
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
            long used = heapReader.getAsLong();
            firstHeap = firstHeap < 0 ? used : firstHeap;
            largestHeap = Math.max(largestHeap, used);
            lastHeap = used;
            heapReadings++;
        }
    }

    /**
     * Heap used once collected arrays are gone. ND4J and JavaCPP free a collected array's native memory on their
     * own threads, and until they have, its references stay on the heap: right after one GC a 500-example trial
     * read 40-60 MiB, 20-40 MiB once they caught up. So: collect, let them run, collect again, until a reading
     * no longer drops.
     */
    private static long settledHeap() {
        System.gc();
        long used = MEMORY.getHeapMemoryUsage().getUsed();
        for (int i = 0; i < 10; i++) {
            Pointer.deallocateReferences();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return used;
            }
            System.gc();
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now > used * 0.99) {
                return Math.min(now, used);
            }
            used = now;
        }
        return used;
    }

    /** Heap used after a full GC: after the first epoch, the largest and the last reading, and how many there were. */
    public record HeapReading(long afterFirstEpoch, long largest, long last, int readings) {
    }
}

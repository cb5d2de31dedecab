package io.gradsweep.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the CPU went while something ran: this process's CPU time over all its threads (tasks, and the JIT, GC and
 * ND4J deallocator threads beside them) and the time the hypervisor took from the machine ("steal", Linux only).
 * Throughput alone cannot tell a run that lacked cores from one that used them badly; these two can.
 *
 * @param stolenSeconds NaN where the machine does not report steal time
 */
public record CpuSpan(double wallSeconds, double cpuSeconds, double stolenSeconds) {

    /** /proc/stat counts in USER_HZ: 100 on x86 and ARM whatever the kernel's own tick rate. */
    private static final double TICKS_PER_SECOND = 100;
    private static final Path PROC_STAT = Path.of("/proc/stat");

    public CpuSpan {
        if (!(wallSeconds > 0)) {
            throw new IllegalArgumentException("a span needs a positive wall time, got " + wallSeconds);
        }
    }

    /** Cores this process kept busy on average. */
    public double coresBusy() {
        return cpuSeconds / wallSeconds;
    }

    /** Cores' worth of time the hypervisor gave to other guests on average; NaN where unknown. */
    public double coresStolen() {
        return stolenSeconds / wallSeconds;
    }

    /** Starts measuring now. */
    public static Meter start() {
        return new Meter(System.nanoTime(), processCpuNanos(), stolenSeconds(PROC_STAT));
    }

    /** A span in progress. */
    public record Meter(long wallNanos, long cpuNanos, double stolen) {
        public CpuSpan stop() {
            return new CpuSpan((System.nanoTime() - wallNanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9,
                    stolenSeconds(PROC_STAT) - stolen);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The machine's total steal time so far: the eighth number of /proc/stat's "cpu" line; NaN without one. */
    static double stolenSeconds(Path procStat) {
        try {
            List<String> lines = Files.readAllLines(procStat);
            String[] f = lines.isEmpty() ? new String[0] : lines.get(0).trim().split("\\s+");
            return f.length > 8 && f[0].equals("cpu") ? Long.parseLong(f[8]) / TICKS_PER_SECOND : Double.NaN;
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
    }
}

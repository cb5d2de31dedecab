package io.gradsweep.bench;

/** One timed sweep: how many trials it finished, and the wall and CPU time it took from submission to commit. */
public record SweepRun(int trials, CpuSpan span) {

    public double trialsPerMinute() {
        return trials / (span.wallSeconds() / 60);
    }

    /** Trials per minute of this process's CPU time: throughput with the cores it got taken out. */
    public double trialsPerCpuMinute() {
        return trials / (span.cpuSeconds() / 60);
    }
}

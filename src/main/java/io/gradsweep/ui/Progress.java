package io.gradsweep.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Done, total and ETA of the sweep that {@code run --ui} is running. The total is the sweep's grid size, which only
 * the run knows; {@code gradsweep ui} alone has no sweep running and reports none. The ETA extrapolates the rate
 * at which trials were committed since the explorer started, so trials committed before (a --resume) do not count
 * as speed.
 */
final class Progress {
    private final String sweep;
    private final long total;
    private final LongSupplier nanos;
    private final long start;
    private Long doneAtStart;

    /** @param sweep the sweep being run, or null for none */
    Progress(String sweep, long total, LongSupplier nanos) {
        this.sweep = sweep;
        this.total = total;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    static Progress none() {
        return new Progress(null, 0, System::nanoTime);
    }

    /** Null without a running sweep, else sweep, done, total, elapsed_s and eta_s (null until a trial is done). */
    synchronized Map<String, Object> of(Map<String, Long> done) {
        if (sweep == null) {
            return null;
        }
        long d = done.getOrDefault(sweep, 0L);
        if (doneAtStart == null) {
            doneAtStart = d;
        }
        double elapsed = (nanos.getAsLong() - start) / 1e9;
        long gained = d - doneAtStart;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sweep", sweep);
        p.put("done", d);
        p.put("total", total);
        p.put("elapsed_s", elapsed);
        Double eta = gained > 0 ? Double.valueOf((total - d) * elapsed / gained) : null;
        p.put("eta_s", d >= total ? Double.valueOf(0) : eta);
        return p;
    }
}

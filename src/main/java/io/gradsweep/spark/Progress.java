package io.gradsweep.spark;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Prints plain progress lines (trials done/total, running tasks, failures, elapsed, ETA) as batches finish, at most
 * one a second except the last, which read well in CI logs and files. On a terminal (the driver's stdin and stdout
 * both are one) a progress bar on stderr takes the place of the lines in between; the last line prints either way.
 * Only tasks of the sweep's own job group count, so queries sharing the SparkContext do not disturb it.
 */
final class Progress extends SparkListener {
    private final GroupTasks group;
    private final List<Integer> trialsPerBatch;
    private final int totalTrials;
    private final PrintWriter out;
    private final long start = System.nanoTime();
    private int running;
    private int trialsDone;
    private int batchesDone;
    private int taskFailures;
    private int speculative;
    private long lastPrint;
    private boolean finished;
    private final ProgressBar bar;

    /** {@code group} says which tasks are the sweep's; it must be registered before this listener. */
    Progress(GroupTasks group, List<Integer> trialsPerBatch, PrintWriter out) {
        this(group, trialsPerBatch, out, System.console() != null);
    }

    Progress(GroupTasks group, List<Integer> trialsPerBatch, PrintWriter out, boolean terminal) {
        this.group = group;
        this.trialsPerBatch = List.copyOf(trialsPerBatch);
        this.totalTrials = trialsPerBatch.stream().mapToInt(Integer::intValue).sum();
        this.out = out;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName("trials").setInitialMax(totalTrials)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build() : null;
    }

    /** Whether a terminal bar shows the progress (else plain lines). */
    boolean bar() {
        return bar != null;
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart task) {
        if (group.owns(task.stageId())) {
            running++;
            speculative += task.taskInfo().speculative() ? 1 : 0;
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        if (finished || !group.owns(end.stageId())) {
            return;
        }
        running--;
        if (end.reason() != Success$.MODULE$) {
            taskFailures++;
            out.printf("[gradsweep] task for batch %d ended without success (%s); Spark retries it%n",
                    end.taskInfo().index(), end.reason());
            out.flush();
            return;
        }
        trialsDone += trialsPerBatch.get(end.taskInfo().index());
        batchesDone++;
        long now = System.nanoTime();
        if (bar != null) {
            bar.stepTo(trialsDone);
            bar.setExtraMessage(Math.max(0, running) + " running, " + taskFailures + " failed attempts");
        }
        if (batchesDone == trialsPerBatch.size()) {
            complete();
        } else if (bar == null && now - lastPrint >= 1_000_000_000L) {
            lastPrint = now;
            out.println(line(now));
            out.flush();
        }
    }

    /**
     * Prints the final line once. The driver calls it when the job has returned, because listener events arrive
     * asynchronously and the last task-end may be delivered after collect() is done.
     */
    synchronized void complete() {
        if (!finished) {
            finished = true;
            trialsDone = totalTrials;
            batchesDone = trialsPerBatch.size();
            running = 0;
            if (bar != null) {
                bar.stepTo(totalTrials);
                bar.close();
            }
            out.println(line(System.nanoTime()));
            out.flush();
        }
    }

    String line(long now) {
        Duration elapsed = Duration.ofNanos(now - start);
        String eta = trialsDone == 0 ? "?"
                : format(elapsed.multipliedBy(totalTrials - trialsDone).dividedBy(trialsDone));
        return String.format("[gradsweep] trials %d/%d done (tasks %d/%d, %d running, %d failed attempts, "
                        + "%d speculative), elapsed %s, ETA %s", trialsDone, totalTrials, batchesDone,
                trialsPerBatch.size(), Math.max(0, running), taskFailures, speculative, format(elapsed), eta);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}

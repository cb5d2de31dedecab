package io.gradsweep.spark;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * The task attempts of the sweep's job group that have started and not ended. A failed job returns to the driver
 * while its other tasks still run: Spark only flags them killed, and a task that passed its last cancellation check
 * goes on to commit. The driver must not release the sweep's lock before they end, or a --resume that follows at
 * once (in the same session) plans, or deletes as leftovers, the batch a zombie is publishing. Speculative copies
 * that lost their race end the same way after a successful job.
 */
final class GroupTasks extends SparkListener {
    private final String jobGroup;
    private final Set<Integer> jobs = new HashSet<>();
    private final Set<Integer> stages = new HashSet<>();
    private int live;
    private boolean ended;

    GroupTasks(String jobGroup) {
        this.jobGroup = jobGroup;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart job) {
        if (job.properties() != null && jobGroup.equals(job.properties().getProperty("spark.jobGroup.id"))) {
            jobs.add(job.jobId());
            job.stageIds().foreach(id -> stages.add((Integer) id));
        }
    }

    /** Whether the stage is one of the group's jobs'. */
    synchronized boolean owns(int stageId) {
        return stages.contains(stageId);
    }

    @Override
    public synchronized void onJobEnd(SparkListenerJobEnd job) {
        if (jobs.contains(job.jobId())) {
            ended = true;
            notifyAll();
        }
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart task) {
        if (stages.contains(task.stageId())) {
            live++;
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd task) {
        if (stages.contains(task.stageId())) {
            live--;
            notifyAll();
        }
    }

    /**
     * Waits until the group's job has ended and so has every attempt it started, at most {@code jobEnd} for the
     * job's end (a job that was never submitted has none) and {@code tasks} for the attempts after it. Listener
     * events arrive in order, so once the job's end is seen every attempt's start has been counted. Returns the
     * attempts still running when it gave up; {@code waiting} hears, once, how many it waits for.
     */
    synchronized int awaitEnded(Duration jobEnd, Duration tasks, IntConsumer waiting)
            throws InterruptedException {
        long deadline = System.nanoTime() + jobEnd.toNanos();
        while (!ended && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        if (!ended) {
            return live;
        }
        if (live > 0) {
            waiting.accept(live);
        }
        deadline = System.nanoTime() + tasks.toNanos();
        while (live > 0 && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return live;
    }
}

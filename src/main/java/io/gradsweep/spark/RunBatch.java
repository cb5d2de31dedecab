package io.gradsweep.spark;

import io.gradsweep.exec.BatchRunner;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.train.TrialOutcome;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

/** The task body: one batch per partition, staged under the attempt id so concurrent attempts never collide. */
final class RunBatch implements Function<TrialBatch, List<TrialOutcome>> {
    private final String outRoot;
    private final HadoopConf conf;

    RunBatch(String outRoot, HadoopConf conf) {
        this.outRoot = outRoot;
        this.conf = conf;
    }

    @Override
    public List<TrialOutcome> call(TrialBatch batch) throws Exception {
        TaskContext ctx = TaskContext.get();
        String attempt = ctx == null ? "driver" : "a" + ctx.taskAttemptId();
        return new BatchRunner().run(batch, new OutputLayout(new Path(outRoot)), conf.get(), attempt,
                () -> ctx != null && ctx.isInterrupted());
    }
}

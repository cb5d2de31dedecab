-- @description Per trial: vanishing | exploding | stalled | healthy | diverged | failed, recomputed from the gradients
-- @description table and the trial's final evaluation with the given thresholds, by default each trial's own
-- @description (trials.vanishing_ratio, trials.exploding_l2, trials.stalled_margin, from the sweep's stats section);
-- @description the thresholds applied are the last three columns. status 'diverged' and 'failed' map to themselves;
-- @description gradient_diagnosis is the classification without that mapping, which is what the job wrote to
-- @description trials.diagnosis (shown as job_diagnosis) for every trial that did not fail.
-- @param vanishing_ratio number recorded vanishing when median over iterations of std(dW first hidden)/std(dW last hidden) is below this
-- @param exploding_l2 number recorded exploding when any recorded gradient is non-finite or a parameter's gradient L2 exceeds this
-- @param stalled_margin number recorded stalled when the final accuracy is below chance + this (regression: the final loss above (1 - this) x chance)
--
-- Same rules as the job (stats/Diagnosis.java): exploding first, then vanishing, then stalled, else healthy. The
-- per-iteration ratio uses the W gradients of layer 0 and layer depth-1 (per worker in data-parallel trials, as the
-- job takes it); iterations where it is not finite are skipped. A last-layer std of 0 gives NULL (NULLIF: Spark
-- would say NULL, DuckDB Infinity), which the median then ignores, as the job ignores the infinite ratio. The SQL
-- runs on Spark and DuckDB alike: median() is the exact median in both. Stalled judges the final evaluation, the
-- test set's when there is a split (its columns are null otherwise), against trials.chance, the best constant
-- predictor's score on that set; a trial without a recorded chance (older sweeps) is never stalled. A NaN loss is
-- never stalled, as in Java (SQL orders NaN above every number).
WITH per_trial AS (
  SELECT sweep, trial_id,
         count_if(isnan(l2) OR l2 = CAST('Infinity' AS DOUBLE)) AS non_finite_rows,
         max(CASE WHEN NOT isnan(l2) AND l2 < CAST('Infinity' AS DOUBLE) THEN l2 END) AS max_finite_l2
  FROM gradients
  GROUP BY sweep, trial_id),
ratios AS (
  SELECT g.sweep, g.trial_id, g.iteration,
         max(CASE WHEN g.layer = 0 THEN g.std END)
           / NULLIF(max(CASE WHEN g.layer = t.depth - 1 THEN g.std END), 0) AS ratio
  FROM gradients g
  JOIN trials t ON t.sweep = g.sweep AND t.trial_id = g.trial_id
  WHERE g.param = 'W' AND t.depth >= 2
  GROUP BY g.sweep, g.trial_id, g.iteration, g.worker),
median_ratio AS (
  SELECT sweep, trial_id, median(ratio) AS grad_ratio
  FROM ratios
  WHERE NOT isnan(ratio) AND ratio < CAST('Infinity' AS DOUBLE)
  GROUP BY sweep, trial_id),
thresholds AS (
  SELECT *, coalesce({{vanishing_ratio}}, vanishing_ratio) AS vanishing_below,
         coalesce({{exploding_l2}}, exploding_l2) AS exploding_above,
         coalesce({{stalled_margin}}, stalled_margin) AS stalled_within,
         coalesce(test_accuracy, train_accuracy) AS final_accuracy,
         coalesce(test_loss, train_loss) AS final_loss
  FROM trials),
classified AS (
  SELECT t.*, coalesce(p.non_finite_rows, 0) AS non_finite_rows, p.max_finite_l2, m.grad_ratio AS sql_grad_ratio,
         CASE WHEN coalesce(p.non_finite_rows, 0) > 0 OR p.max_finite_l2 > t.exploding_above THEN 'exploding'
              WHEN m.grad_ratio < t.vanishing_below THEN 'vanishing'
              WHEN t.final_accuracy IS NOT NULL AND t.final_accuracy < t.chance + t.stalled_within THEN 'stalled'
              WHEN t.final_accuracy IS NULL AND NOT isnan(t.final_loss)
                   AND t.final_loss > (1 - t.stalled_within) * t.chance THEN 'stalled'
              ELSE 'healthy' END AS gradient_diagnosis
  FROM thresholds t
  LEFT JOIN per_trial p ON p.sweep = t.sweep AND p.trial_id = t.trial_id
  LEFT JOIN median_ratio m ON m.sweep = t.sweep AND m.trial_id = t.trial_id)
SELECT sweep, trial_id, activation, depth, width, initializer, optimizer, learning_rate, clipping, seed, status,
       CASE WHEN status IN ('diverged', 'failed') THEN status ELSE gradient_diagnosis END AS diagnosis,
       gradient_diagnosis,
       diagnosis AS job_diagnosis,
       sql_grad_ratio AS grad_ratio,
       CASE WHEN non_finite_rows > 0 THEN CAST('NaN' AS DOUBLE) ELSE max_finite_l2 END AS max_grad_l2,
       non_finite_rows,
       final_accuracy,
       final_loss,
       chance,
       vanishing_below AS vanishing_ratio,
       exploding_above AS exploding_l2,
       stalled_within AS stalled_margin
FROM classified
ORDER BY sweep, trial_index

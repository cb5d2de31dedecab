-- @description Recurrent trials: how much of the loss's gradient reaches the start of the sequence. Per trial,
-- @description recurrent layer and window of updates (by default each epoch), over the recorded iterations: the ratio
-- @description l2(t = 0) / l2(t = T-1) of timestep_gradients (the gradient with respect to the layer's input at the
-- @description first step against the last), at the window's first recorded iteration and as median, min and max;
-- @description ratios far below 1 are the vanishing gradient through time, above 1 the exploding one.
-- @param window number 0 0 groups by epoch; N > 0 groups the recorded iterations into windows of N updates (1: each one)
--
-- T is trials.sequence_length; a last-step l2 of 0 gives NULL (NULLIF: Spark would say NULL, DuckDB Infinity).
-- Non-finite ratios (a diverging trial) are counted in non_finite and left out of the median, min and max, as
-- median(x) in Spark and DuckDB alike orders NaN above every number; first_ratio keeps whatever was recorded.
WITH steps AS (
  SELECT g.sweep, g.trial_id, g.layer, g.epoch, g.iteration,
         CASE WHEN {{window}} > 0 THEN CAST(floor(g.iteration / {{window}}) AS BIGINT) ELSE g.epoch END AS bucket,
         max(CASE WHEN g.t = 0 THEN g.l2 END) AS l2_first_step,
         max(CASE WHEN g.t = t.sequence_length - 1 THEN g.l2 END) AS l2_last_step
  FROM timestep_gradients g
  JOIN trials t ON t.sweep = g.sweep AND t.trial_id = g.trial_id
  GROUP BY g.sweep, g.trial_id, g.layer, g.epoch, g.iteration,
           CASE WHEN {{window}} > 0 THEN CAST(floor(g.iteration / {{window}}) AS BIGINT) ELSE g.epoch END),
ratios AS (
  SELECT *, l2_first_step / NULLIF(l2_last_step, 0) AS ratio,
         min(iteration) OVER (PARTITION BY sweep, trial_id, layer, bucket) AS first_iteration
  FROM steps),
finite AS (
  SELECT *, NOT isnan(ratio) AND abs(ratio) < CAST('Infinity' AS DOUBLE) AS is_finite FROM ratios)
SELECT f.sweep, f.trial_id, t.model, t.sequence_length, t.activation, t.initializer, t.optimizer, t.learning_rate,
       t.seed, f.layer, f.bucket,
       min(f.epoch) AS epoch, min(f.iteration) AS first_iteration, max(f.iteration) AS last_iteration,
       count(*) AS iterations,
       max(CASE WHEN f.iteration = f.first_iteration THEN f.ratio END) AS first_ratio,
       median(CASE WHEN f.is_finite THEN f.ratio END) AS median_ratio,
       min(CASE WHEN f.is_finite THEN f.ratio END) AS min_ratio,
       max(CASE WHEN f.is_finite THEN f.ratio END) AS max_ratio,
       count(*) - count(CASE WHEN f.is_finite THEN 1 END) AS non_finite,
       median(f.l2_first_step) AS median_l2_first_step,
       median(f.l2_last_step) AS median_l2_last_step
FROM finite f
JOIN trials t ON t.sweep = f.sweep AND t.trial_id = f.trial_id
GROUP BY f.sweep, f.trial_id, t.trial_index, t.model, t.sequence_length, t.activation, t.initializer, t.optimizer,
         t.learning_rate, t.seed, f.layer, f.bucket
ORDER BY f.sweep, t.trial_index, f.layer, f.bucket

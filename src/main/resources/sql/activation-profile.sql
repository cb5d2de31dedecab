-- @description Per trial, hidden layer and window of updates (by default each epoch): the mean and std of the
-- @description layer's outputs, averaged over the window's recorded minibatches (each minibatch's mean and population
-- @description std over its examples x units, from the activations table), with the saturated and dead fractions:
-- @description Glorot & Bengio (2010), figure 2, where deep sigmoid nets' top hidden layer saturates at 0 early.
-- @param window number 0 0 groups by epoch; N > 0 groups the recorded iterations into windows of N updates (1: each one)
--
-- A data-parallel trial's workers each record their replica's rows; they are averaged together. A NaN output (a
-- diverging trial) makes its window's mean NaN in either engine.
WITH windowed AS (
  SELECT a.*,
         CASE WHEN {{window}} > 0 THEN CAST(floor(a.iteration / {{window}}) AS BIGINT) ELSE a.epoch END AS bucket
  FROM activations a)
SELECT r.sweep, r.trial_id, t.activation, t.initializer, t.depth, t.batch_norm, t.seed, r.layer, r.bucket,
       min(r.epoch) AS epoch, min(r.iteration) AS first_iteration, max(r.iteration) AS last_iteration,
       count(*) AS iterations,
       avg(r.mean) AS mean, avg(r.std) AS std,
       avg(r.saturated_fraction) AS saturated_fraction, avg(r.dead_fraction) AS dead_fraction
FROM windowed r
JOIN trials t ON t.sweep = r.sweep AND t.trial_id = r.trial_id
GROUP BY r.sweep, r.trial_id, t.trial_index, t.activation, t.initializer, t.depth, t.batch_norm, t.seed, r.layer,
         r.bucket
ORDER BY r.sweep, t.trial_index, r.layer, r.bucket

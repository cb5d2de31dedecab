-- @description Per trial, hidden layer and window of updates (by default each epoch): the variance of the gradient
-- @description with respect to the layer's pre-activations, Var[dL/ds] (Glorot & Bengio 2010, eq. 14 and figure 7),
-- @description beside that of the weight gradient Var[dL/dW], each the mean over the window's recorded iterations of
-- @description the population variance (std squared), and both relative to the last hidden layer's. With their
-- @description normalized initialization Var[dL/ds] stays level across layers; it is null where no engine records it.
-- @param window number 0 0 groups by epoch; N > 0 groups the recorded iterations into windows of N updates (1: each one)
--
-- Rows come from the activations table's preact_grad_std (null for recurrent layers and data-parallel trials, whose
-- rows are left out) joined to the gradients table's W row of the same iteration and layer. NULLIF: a last-layer
-- variance of 0 gives NULL in both engines.
WITH joined AS (
  SELECT a.sweep, a.trial_id, a.layer, a.epoch, a.iteration,
         CASE WHEN {{window}} > 0 THEN CAST(floor(a.iteration / {{window}}) AS BIGINT) ELSE a.epoch END AS bucket,
         a.preact_grad_std * a.preact_grad_std AS var_dlds, g.std * g.std AS var_dldw
  FROM activations a
  JOIN gradients g ON g.sweep = a.sweep AND g.trial_id = a.trial_id AND g.iteration = a.iteration
                  AND g.layer = a.layer AND g.param = 'W' AND g.worker IS NULL
  WHERE a.preact_grad_std IS NOT NULL AND a.worker IS NULL),
windows AS (
  SELECT sweep, trial_id, layer, bucket, min(epoch) AS epoch, min(iteration) AS first_iteration,
         max(iteration) AS last_iteration, count(*) AS iterations,
         avg(var_dlds) AS var_dlds, avg(var_dldw) AS var_dldw
  FROM joined
  GROUP BY sweep, trial_id, layer, bucket)
SELECT w.sweep, w.trial_id, t.activation, t.initializer, t.depth, t.batch_norm, t.seed, w.layer, w.bucket,
       w.epoch, w.first_iteration, w.last_iteration, w.iterations, w.var_dlds, w.var_dldw,
       w.var_dlds / NULLIF(last.var_dlds, 0) AS dlds_ratio_to_last_hidden,
       w.var_dldw / NULLIF(last.var_dldw, 0) AS dldw_ratio_to_last_hidden
FROM windows w
JOIN trials t ON t.sweep = w.sweep AND t.trial_id = w.trial_id
LEFT JOIN windows last ON last.sweep = w.sweep AND last.trial_id = w.trial_id AND last.bucket = w.bucket
                      AND last.layer = t.depth - 1
ORDER BY w.sweep, t.trial_index, w.layer, w.bucket

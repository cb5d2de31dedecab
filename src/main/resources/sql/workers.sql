-- @description Data-parallel trials (train.mode data-parallel): per parameter-averaging round, layer and parameter,
-- @description the gradient aggregated over the workers that trained the round (mean of their std and L2 over the
-- @description round's recorded iterations), and how far the workers disagreed: l2_spread is (max - min) / mean of
-- @description their average gradient L2 norms, 0 when every worker saw the same gradients. Local trials have no
-- @description worker rows and are left out.
WITH per_worker AS (
  SELECT sweep, trial_id, round, worker, layer, param, min(iteration) AS first_iteration,
         avg(std) AS std, avg(l2) AS l2, avg(update_ratio) AS update_ratio
  FROM gradients
  WHERE worker IS NOT NULL
  GROUP BY sweep, trial_id, round, worker, layer, param)
SELECT sweep, trial_id, round, min(first_iteration) AS first_iteration, layer, param,
       count(*) AS workers, avg(std) AS grad_std, avg(l2) AS grad_l2,
       (max(l2) - min(l2)) / NULLIF(avg(l2), 0) AS l2_spread, avg(update_ratio) AS update_ratio
FROM per_worker
GROUP BY sweep, trial_id, round, layer, param
ORDER BY sweep, trial_id, round, layer, param

-- @description Per trial and layer: the median over recorded iterations of std and L2 of the weight gradient,
-- @description and that median std relative to the last hidden layer's. Vanishing gradients show as first layers
-- @description orders of magnitude below 1; exploding ones as ratios far above 1. Non-finite iterations are left out.
--
-- layer 0 is the first hidden layer, layer depth-1 the last hidden layer, layer depth the output layer.
-- median(x) is the exact median in Spark and DuckDB alike, interpolating between the two middle values;
-- percentile_approx would not match other engines. NULLIF: a last-layer median of 0 gives NULL in both.
WITH medians AS (
  SELECT sweep, trial_id, layer,
         count(*)               AS iterations,
         median(std)            AS median_std,
         median(l2)             AS median_l2
  FROM gradients
  WHERE param = 'W' AND NOT isnan(l2) AND l2 < CAST('Infinity' AS DOUBLE)
  GROUP BY sweep, trial_id, layer)
SELECT m.sweep, m.trial_id, t.activation, t.initializer, t.depth, t.seed, m.layer,
       CASE WHEN m.layer = t.depth THEN 'output' ELSE 'hidden' END AS kind,
       m.iterations, m.median_std, m.median_l2,
       m.median_std / NULLIF(last.median_std, 0) AS std_ratio_to_last_hidden
FROM medians m
JOIN trials t ON t.sweep = m.sweep AND t.trial_id = m.trial_id
LEFT JOIN medians last ON last.sweep = m.sweep AND last.trial_id = m.trial_id AND last.layer = t.depth - 1
ORDER BY m.sweep, t.trial_index, m.layer

-- @description Mean accuracy (test, else train) and vanishing rate (share of trials whose trials.diagnosis is
-- @description vanishing) for each combination of two grid axes. layout=wide pivots to one row per 'rows' value with
-- @description a <value>_mean_accuracy and <value>_vanishing_rate column per 'columns' value; layout=long keeps one
-- @description row per combination, with trial counts and exploding/diverged rates. bins groups a sampled
-- @description learning_rate (bins per decade) or dropout (bins over [0, 1]), labelled by each bin's lower edge.
-- @param rows axis activation the axis down the rows
-- @param columns axis initializer the axis across the columns
-- @param layout choice(wide|long) wide wide pivots over 'columns'; long gives one row per pair
-- @param bins number 0 0 keeps one level per value; N > 0 bins learning_rate N per decade and dropout N over [0, 1]
-- @pivot {{rows}} {{columns}} mean_accuracy,vanishing_rate
WITH cells AS (
  SELECT {{rows_value}} AS {{rows}}, {{columns_value}} AS {{columns}},
         test_accuracy, train_accuracy, diagnosis, status
  FROM trials
)
SELECT {{rows}}, {{columns}},
       count(*)                                      AS trials,
       avg(coalesce(test_accuracy, train_accuracy))  AS mean_accuracy,
       avg(CAST(diagnosis = 'vanishing' AS DOUBLE))  AS vanishing_rate,
       avg(CAST(diagnosis = 'exploding' AS DOUBLE))  AS exploding_rate,
       avg(CAST(status = 'diverged' AS DOUBLE))      AS diverged_rate
FROM cells
GROUP BY {{rows}}, {{columns}}
ORDER BY {{rows}} NULLS FIRST, {{columns}} NULLS FIRST

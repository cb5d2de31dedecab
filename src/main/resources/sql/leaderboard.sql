-- @description Configurations ranked by mean accuracy over their seeds: test accuracy when the sweep has a split,
-- @description else train accuracy. accuracy_std is the sample std over seeds (null for one seed); n counts the seeds
-- @description with an accuracy (failed trials have none); vanishing, exploding, diverged and failed count seeds.
-- @description loss_mean is the mean loss on the same split; regression sweeps (no accuracy) are ranked by it.
WITH scored AS (
  SELECT *, coalesce(test_accuracy, train_accuracy) AS accuracy,
         CASE WHEN test_loss IS NOT NULL THEN test_loss ELSE train_loss END AS loss,
         CASE WHEN test_accuracy IS NOT NULL THEN 'test' WHEN train_accuracy IS NOT NULL THEN 'train' END AS split
  FROM trials),
configs AS (
  SELECT sweep, dataset, model, activation, depth, width, widths, batch_norm, residual, initializer, optimizer,
         learning_rate, clipping, dropout, epochs, batch_size,
         min(split)                       AS split,
         count(accuracy)                  AS n,
         avg(accuracy)                    AS accuracy_mean,
         stddev_samp(accuracy)            AS accuracy_std,
         avg(loss)                        AS loss_mean,
         count_if(diagnosis = 'vanishing') AS vanishing,
         count_if(diagnosis = 'exploding') AS exploding,
         count_if(status = 'diverged')    AS diverged,
         count_if(status = 'failed')      AS failed
  FROM scored
  GROUP BY sweep, dataset, model, activation, depth, width, widths, batch_norm, residual, initializer, optimizer,
           learning_rate, clipping, dropout, epochs, batch_size)
SELECT rank() OVER (ORDER BY accuracy_mean DESC NULLS LAST, loss_mean ASC NULLS LAST) AS rank,
       sweep, activation, depth, width, initializer, optimizer, learning_rate, clipping, dropout, batch_norm,
       residual, model, widths, split,
       CASE WHEN n > 1 THEN format_string('%.4f ± %.4f', accuracy_mean, accuracy_std)
            ELSE format_string('%.4f', accuracy_mean) END AS accuracy,
       n, accuracy_mean, accuracy_std, loss_mean, vanishing, exploding, diverged, failed, dataset, epochs, batch_size
FROM configs
ORDER BY rank, sweep, activation, depth, width, initializer, optimizer, learning_rate, clipping, dropout, batch_norm,
         residual, model, widths

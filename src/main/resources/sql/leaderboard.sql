-- @description Configurations ranked by mean accuracy over their seeds: test accuracy when the sweep has a split,
-- @description else train accuracy. Failed seeds, and seeds without a finite accuracy or loss, are left out of the
-- @description means; a configuration with a diverged seed ranks below every one without. accuracy_std is the sample
-- @description std over seeds (null for one seed); n counts the seeds in the accuracy mean; vanishing, exploding,
-- @description diverged and failed count seeds. loss_mean is the mean loss on the same split; regression sweeps (no
-- @description accuracy) are ranked by it.
--
-- The ranking is analysis/BestTrial.java applied to configurations (BestTrialAgreementTest holds the two together):
-- unranked seeds out, diverged below healthy, accuracy before none, higher accuracy, then lower loss.
WITH scored AS (
  SELECT *, CASE WHEN ranked THEN coalesce(test_accuracy, train_accuracy) END AS accuracy,
         CASE WHEN ranked THEN coalesce(test_loss, train_loss) END AS loss
  FROM (SELECT *, status <> 'failed'
                  AND (coalesce(test_accuracy, train_accuracy, test_loss, train_loss) IS NOT NULL)
                  AND NOT isnan(coalesce(test_accuracy, train_accuracy, test_loss, train_loss))
                  AND abs(coalesce(test_accuracy, train_accuracy, test_loss, train_loss))
                      < CAST('Infinity' AS DOUBLE) AS ranked,
               CASE WHEN test_accuracy IS NOT NULL THEN 'test' WHEN train_accuracy IS NOT NULL THEN 'train' END
                 AS split
        FROM trials)),
configs AS (
  SELECT sweep, dataset, model, sequence_length, activation, depth, width, widths, batch_norm, residual,
         initializer, optimizer, learning_rate, clipping, dropout, epochs, batch_size,
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
  GROUP BY sweep, dataset, model, sequence_length, activation, depth, width, widths, batch_norm, residual,
           initializer, optimizer, learning_rate, clipping, dropout, epochs, batch_size)
SELECT rank() OVER (ORDER BY accuracy_mean IS NULL AND loss_mean IS NULL, diverged > 0, accuracy_mean IS NULL,
                           accuracy_mean DESC, loss_mean ASC NULLS LAST) AS rank,
       sweep, activation, depth, width, initializer, optimizer, learning_rate, clipping, dropout, batch_norm,
       residual, model, widths, sequence_length, split,
       CASE WHEN accuracy_mean IS NULL THEN NULL
            WHEN n > 1 THEN printf('%.4f ± %.4f', accuracy_mean, accuracy_std)
            ELSE printf('%.4f', accuracy_mean) END AS accuracy,
       n, accuracy_mean, accuracy_std, loss_mean, vanishing, exploding, diverged, failed, dataset, epochs, batch_size
FROM configs
ORDER BY rank, sweep, activation, depth, width, initializer, optimizer, learning_rate, clipping, dropout, batch_norm,
         residual, model, widths, sequence_length NULLS FIRST

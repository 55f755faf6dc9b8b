WITH `t10` AS (
  SELECT
    `t9`.`force`,
    `t9`.`period_end`,
    EXPLODE(
      ARRAY(
        STRUCT('stop_search_rate_black' AS `measure`, `t9`.`m__stop_search_rate_black` AS `v`),
        STRUCT('stop_search_rate_white' AS `measure`, `t9`.`m__stop_search_rate_white` AS `v`)
      )
    ) AS `__pivoted__`
  FROM (
    SELECT
      `t8`.`force`,
      `t8`.`period_end`,
      STRUCT(
        IF(
          (
            `t8`.`covered__all` = 12
          ) AND NOT (
            `t8`.`k__stop_search_rate_black` = 0
          ),
          `t8`.`n__stop_search_rate_black`,
          CAST(NULL AS DOUBLE)
        ) AS `numerator`,
        `t8`.`ethnic__stop_search_rate_black` AS `denominator`,
        1000.0 AS `scale`,
        `t8`.`covered__all` AS `periods_covered`,
        COALESCE(
          CASE
            WHEN (
              `t8`.`t__stop_search_rate_black` > 0
            )
            AND (
              `t8`.`k__stop_search_rate_black` = 0
            )
            THEN 'not available: officer defined ethnicity is blank in every row for this force in the window'
            WHEN `t8`.`k__stop_search_rate_black` <= (
              `t8`.`t__stop_search_rate_black` * 0.8
            )
            THEN CONCAT(
              CONCAT(
                'officer defined ethnicity is blank in ',
                CAST(CAST(ROUND(
                  (
                    1 - (
                      `t8`.`k__stop_search_rate_black` / NULLIF(`t8`.`t__stop_search_rate_black`, 0)
                    )
                  ) * 100,
                  0
                ) AS BIGINT) AS STRING)
              ),
              '% of this force\'s rows in the window: the figure rests on the rest'
            )
            ELSE CAST(NULL AS STRING)
          END,
          CAST(NULL AS STRING)
        ) AS `definition_note`,
        'Census 2011 residents by ethnic group' AS `denominator_note`
      ) AS `m__stop_search_rate_black`,
      STRUCT(
        IF(
          (
            `t8`.`covered__all` = 12
          ) AND NOT (
            `t8`.`k__stop_search_rate_white` = 0
          ),
          `t8`.`n__stop_search_rate_white`,
          CAST(NULL AS DOUBLE)
        ) AS `numerator`,
        `t8`.`ethnic__stop_search_rate_white` AS `denominator`,
        1000.0 AS `scale`,
        `t8`.`covered__all` AS `periods_covered`,
        COALESCE(
          CASE
            WHEN (
              `t8`.`t__stop_search_rate_white` > 0
            )
            AND (
              `t8`.`k__stop_search_rate_white` = 0
            )
            THEN 'not available: officer defined ethnicity is blank in every row for this force in the window'
            WHEN `t8`.`k__stop_search_rate_white` <= (
              `t8`.`t__stop_search_rate_white` * 0.8
            )
            THEN CONCAT(
              CONCAT(
                'officer defined ethnicity is blank in ',
                CAST(CAST(ROUND(
                  (
                    1 - (
                      `t8`.`k__stop_search_rate_white` / NULLIF(`t8`.`t__stop_search_rate_white`, 0)
                    )
                  ) * 100,
                  0
                ) AS BIGINT) AS STRING)
              ),
              '% of this force\'s rows in the window: the figure rests on the rest'
            )
            ELSE CAST(NULL AS STRING)
          END,
          CAST(NULL AS STRING)
        ) AS `definition_note`,
        'Census 2011 residents by ethnic group' AS `denominator_note`
      ) AS `m__stop_search_rate_white`
    FROM (
      SELECT
        `t7`.`force`,
        `t7`.`period_start`,
        `t7`.`period_end`,
        `t7`.`period_index`,
        `t7`.`population_year`,
        `t7`.`residents`,
        `t7`.`households`,
        `t7`.`population_note`,
        `t7`.`households_note`,
        `t7`.`ethnic__stop_search_rate_black`,
        `t7`.`ethnic__stop_search_rate_white`,
        SUM(COALESCE(`t7`.`n__stop_search_rate_black`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `n__stop_search_rate_black`,
        SUM(COALESCE(`t7`.`k__stop_search_rate_black`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `k__stop_search_rate_black`,
        SUM(COALESCE(`t7`.`t__stop_search_rate_black`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `t__stop_search_rate_black`,
        SUM(COALESCE(`t7`.`n__stop_search_rate_white`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `n__stop_search_rate_white`,
        SUM(COALESCE(`t7`.`k__stop_search_rate_white`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `k__stop_search_rate_white`,
        SUM(COALESCE(`t7`.`t__stop_search_rate_white`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `t__stop_search_rate_white`,
        `t7`.`rows__all`,
        SUM(CAST(COALESCE(`t7`.`rows__all`, 0) > 0 AS BIGINT)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `covered__all`
      FROM (
        SELECT
          `t2`.`force`,
          `t2`.`period_start`,
          `t2`.`period_end`,
          `t2`.`period_index`,
          `t2`.`population_year`,
          `t2`.`residents`,
          `t2`.`households`,
          `t2`.`population_note`,
          `t2`.`households_note`,
          `t2`.`ethnic__stop_search_rate_black`,
          `t2`.`ethnic__stop_search_rate_white`,
          `t6`.`n__stop_search_rate_black`,
          `t6`.`k__stop_search_rate_black`,
          `t6`.`t__stop_search_rate_black`,
          `t6`.`n__stop_search_rate_white`,
          `t6`.`k__stop_search_rate_white`,
          `t6`.`t__stop_search_rate_white`,
          `t6`.`rows__all`
        FROM `calendar_1` AS `t2`
        LEFT OUTER JOIN (
          SELECT
            `t4`.`force`,
            `t4`.`period_start`,
            CAST(SUM(IF(`t4`.`officer_defined_ethnicity` IN ('Black'), `t4`.`rows__`, NULL)) AS DOUBLE) AS `n__stop_search_rate_black`,
            CAST(SUM(
              IF(
                (
                  `t4`.`officer_defined_ethnicity` IS NOT NULL
                )
                AND (
                  `t4`.`officer_defined_ethnicity` <> ''
                ),
                `t4`.`rows__`,
                NULL
              )
            ) AS DOUBLE) AS `k__stop_search_rate_black`,
            CAST(SUM(`t4`.`rows__`) AS DOUBLE) AS `t__stop_search_rate_black`,
            CAST(SUM(IF(`t4`.`officer_defined_ethnicity` IN ('White'), `t4`.`rows__`, NULL)) AS DOUBLE) AS `n__stop_search_rate_white`,
            CAST(SUM(
              IF(
                (
                  `t4`.`officer_defined_ethnicity` IS NOT NULL
                )
                AND (
                  `t4`.`officer_defined_ethnicity` <> ''
                ),
                `t4`.`rows__`,
                NULL
              )
            ) AS DOUBLE) AS `k__stop_search_rate_white`,
            CAST(SUM(`t4`.`rows__`) AS DOUBLE) AS `t__stop_search_rate_white`,
            CAST(SUM(`t4`.`rows__`) AS DOUBLE) AS `rows__all`
          FROM (
            SELECT
              `t3`.`force`,
              `t3`.`period_start`,
              `t3`.`officer_defined_ethnicity`,
              COUNT(*) AS `rows__`
            FROM (
              SELECT
                `t1`.`force`,
                `t1`.`month`,
                `t1`.`type`,
                `t1`.`date`,
                `t1`.`part_of_a_policing_operation`,
                `t1`.`policing_operation`,
                `t1`.`latitude`,
                `t1`.`longitude`,
                `t1`.`gender`,
                `t1`.`age_range`,
                `t1`.`self_defined_ethnicity`,
                `t1`.`officer_defined_ethnicity`,
                `t1`.`legislation`,
                `t1`.`object_of_search`,
                `t1`.`outcome`,
                `t1`.`outcome_linked_to_object_of_search`,
                `t1`.`removal_of_more_than_just_outer_clothing`,
                `t1`.`source_file`,
                `t1`.`source_line`,
                DATE_TRUNC('month', `t1`.`month`) AS `period_start`
              FROM `police_uk_stop_search` AS `t1`
              WHERE
                DATE_TRUNC('month', `t1`.`month`) >= MAKE_DATE(2017, 7, 1)
                AND DATE_TRUNC('month', `t1`.`month`) <= MAKE_DATE(2018, 6, 1)
            ) AS `t3`
            GROUP BY
              1,
              2,
              3
          ) AS `t4`
          GROUP BY
            1,
            2
        ) AS `t6`
          ON `t2`.`force` = `t6`.`force` AND `t2`.`period_start` = `t6`.`period_start`
      ) AS `t7`
    ) AS `t8`
    WHERE
      `t8`.`period_index` >= 11
  ) AS `t9`
), `t16` AS (
  SELECT
    *
  FROM (
    SELECT
      `t11`.`__pivoted__`.`measure` AS `measure`,
      `t11`.`force`,
      `t11`.`period_end`,
      `t11`.`__pivoted__`.`v`.`numerator` AS `numerator`,
      `t11`.`__pivoted__`.`v`.`denominator` AS `denominator`,
      `t11`.`__pivoted__`.`v`.`scale` AS `scale`,
      `t11`.`__pivoted__`.`v`.`periods_covered` AS `periods_covered`,
      12 AS `window_periods`,
      `t11`.`__pivoted__`.`v`.`definition_note` AS `definition_note`,
      `t11`.`__pivoted__`.`v`.`denominator_note` AS `denominator_note`
    FROM `t10` AS `t11`
  ) AS `t12`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      `t14`.`measure`,
      'england-and-wales' AS `force`,
      `t14`.`period_end`,
      IF(`t14`.`complete` = 43, `t14`.`numerator`, CAST(NULL AS DOUBLE)) AS `numerator`,
      IF(`t14`.`with_denominator` = 43, `t14`.`denominator`, CAST(NULL AS DOUBLE)) AS `denominator`,
      `t14`.`scale`,
      `t14`.`periods_covered`,
      `t14`.`window_periods`,
      `t14`.`definition_note`,
      CASE
        WHEN (
          `t14`.`complete` < 43
        ) OR (
          `t14`.`with_denominator` < 43
        )
        THEN CONCAT(
          'England and Wales needs all 43 forces; complete for ',
          CAST(`t14`.`complete` AS STRING)
        )
        WHEN `t14`.`first_note` = `t14`.`last_note`
        THEN `t14`.`first_note`
        WHEN `t14`.`first_note` IS NOT NULL
        THEN CONCAT(
          CONCAT(
            CONCAT('summed over the 43 forces: ', CAST(`t14`.`from_warehouse` AS STRING)),
            ' from the warehouse population table, the rest from the ONS estimates shipped with peelstat; e.g. '
          ),
          `t14`.`first_note`
        )
        ELSE CAST(NULL AS STRING)
      END AS `denominator_note`
    FROM (
      SELECT
        `t13`.`measure`,
        `t13`.`period_end`,
        SUM(`t13`.`numerator`) AS `numerator`,
        SUM(`t13`.`denominator`) AS `denominator`,
        MAX(`t13`.`scale`) AS `scale`,
        MIN(`t13`.`periods_covered`) AS `periods_covered`,
        MAX(`t13`.`window_periods`) AS `window_periods`,
        MAX(`t13`.`definition_note`) AS `definition_note`,
        COUNT(`t13`.`numerator`) AS `complete`,
        COUNT(`t13`.`denominator`) AS `with_denominator`,
        MIN(`t13`.`denominator_note`) AS `first_note`,
        MAX(`t13`.`denominator_note`) AS `last_note`,
        SUM(CAST(CONTAINS(`t13`.`denominator_note`, 'warehouse population table') AS BIGINT)) AS `from_warehouse`
      FROM (
        SELECT
          `t11`.`__pivoted__`.`measure` AS `measure`,
          `t11`.`force`,
          `t11`.`period_end`,
          `t11`.`__pivoted__`.`v`.`numerator` AS `numerator`,
          `t11`.`__pivoted__`.`v`.`denominator` AS `denominator`,
          `t11`.`__pivoted__`.`v`.`scale` AS `scale`,
          `t11`.`__pivoted__`.`v`.`periods_covered` AS `periods_covered`,
          12 AS `window_periods`,
          `t11`.`__pivoted__`.`v`.`definition_note` AS `definition_note`,
          `t11`.`__pivoted__`.`v`.`denominator_note` AS `denominator_note`
        FROM `t10` AS `t11`
        WHERE
          `t11`.`force` IN (
            'avon-and-somerset',
            'bedfordshire',
            'cambridgeshire',
            'cheshire',
            'city-of-london',
            'cleveland',
            'cumbria',
            'derbyshire',
            'devon-and-cornwall',
            'dorset',
            'durham',
            'dyfed-powys',
            'essex',
            'gloucestershire',
            'greater-manchester',
            'gwent',
            'hampshire',
            'hertfordshire',
            'humberside',
            'kent',
            'lancashire',
            'leicestershire',
            'lincolnshire',
            'merseyside',
            'metropolitan',
            'norfolk',
            'north-wales',
            'north-yorkshire',
            'northamptonshire',
            'northumbria',
            'nottinghamshire',
            'south-wales',
            'south-yorkshire',
            'staffordshire',
            'suffolk',
            'surrey',
            'sussex',
            'thames-valley',
            'warwickshire',
            'west-mercia',
            'west-midlands',
            'west-yorkshire',
            'wiltshire'
          )
      ) AS `t13`
      GROUP BY
        1,
        2
    ) AS `t14`
  ) AS `t15`
)
SELECT
  `t24`.`measure`,
  `t24`.`force`,
  `t24`.`period_end`,
  `t24`.`numerator`,
  `t24`.`denominator`,
  `t24`.`value`,
  `t24`.`lower`,
  `t24`.`upper`,
  `t24`.`periods_covered`,
  `t24`.`definition_note`,
  `t24`.`denominator_note`
FROM (
  SELECT
    *
  FROM (
    SELECT
      `t17`.`measure`,
      `t17`.`force`,
      `t17`.`period_end`,
      `t17`.`numerator`,
      `t17`.`denominator`,
      `t17`.`scale`,
      `t17`.`periods_covered`,
      `t17`.`window_periods`,
      `t17`.`definition_note`,
      `t17`.`denominator_note`,
      IF(
        `t17`.`scale` IS NULL OR ISNAN(`t17`.`scale`),
        `t17`.`numerator`,
        (
          `t17`.`numerator` * `t17`.`scale`
        ) / NULLIF(`t17`.`denominator`, 0)
      ) AS `value`,
      CAST(NULL AS DOUBLE) AS `lower`,
      CAST(NULL AS DOUBLE) AS `upper`
    FROM `t16` AS `t17`
  ) AS `t18`
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      'stop_search_disparity_black' AS `measure`,
      `t21`.`force`,
      `t21`.`period_end`,
      `t21`.`value` AS `numerator`,
      `t22`.`value` AS `denominator`,
      1.0 AS `scale`,
      LEAST(`t21`.`periods_covered`, `t22`.`periods_covered`) AS `periods_covered`,
      `t21`.`window_periods`,
      COALESCE(`t21`.`definition_note`, `t22`.`definition_note`) AS `definition_note`,
      COALESCE(`t21`.`denominator_note`, `t22`.`denominator_note`) AS `denominator_note`,
      `t21`.`value` / NULLIF(`t22`.`value`, 0) AS `value`,
      (
        `t21`.`value` / NULLIF(`t22`.`value`, 0)
      ) * EXP(
        SQRT(
          (
            1.0 / NULLIF(`t21`.`numerator`, 0)
          ) + (
            1.0 / NULLIF(`t22`.`numerator`, 0)
          )
        ) * -1.959963984540054
      ) AS `lower`,
      (
        `t21`.`value` / NULLIF(`t22`.`value`, 0)
      ) * EXP(
        SQRT(
          (
            1.0 / NULLIF(`t21`.`numerator`, 0)
          ) + (
            1.0 / NULLIF(`t22`.`numerator`, 0)
          )
        ) * 1.959963984540054
      ) AS `upper`
    FROM (
      SELECT
        `t17`.`measure`,
        `t17`.`force`,
        `t17`.`period_end`,
        `t17`.`numerator`,
        `t17`.`denominator`,
        `t17`.`scale`,
        `t17`.`periods_covered`,
        `t17`.`window_periods`,
        `t17`.`definition_note`,
        `t17`.`denominator_note`,
        IF(
          `t17`.`scale` IS NULL OR ISNAN(`t17`.`scale`),
          `t17`.`numerator`,
          (
            `t17`.`numerator` * `t17`.`scale`
          ) / NULLIF(`t17`.`denominator`, 0)
        ) AS `value`,
        CAST(NULL AS DOUBLE) AS `lower`,
        CAST(NULL AS DOUBLE) AS `upper`
      FROM `t16` AS `t17`
      WHERE
        `t17`.`measure` = 'stop_search_rate_black'
    ) AS `t21`
    INNER JOIN (
      SELECT
        `t17`.`measure`,
        `t17`.`force`,
        `t17`.`period_end`,
        `t17`.`numerator`,
        `t17`.`denominator`,
        `t17`.`scale`,
        `t17`.`periods_covered`,
        `t17`.`window_periods`,
        `t17`.`definition_note`,
        `t17`.`denominator_note`,
        IF(
          `t17`.`scale` IS NULL OR ISNAN(`t17`.`scale`),
          `t17`.`numerator`,
          (
            `t17`.`numerator` * `t17`.`scale`
          ) / NULLIF(`t17`.`denominator`, 0)
        ) AS `value`,
        CAST(NULL AS DOUBLE) AS `lower`,
        CAST(NULL AS DOUBLE) AS `upper`
      FROM `t16` AS `t17`
      WHERE
        `t17`.`measure` = 'stop_search_rate_white'
    ) AS `t22`
      ON `t21`.`force` = `t22`.`force` AND `t21`.`period_end` = `t22`.`period_end`
  ) AS `t23`
) AS `t24`
WHERE
  `t24`.`measure` IN ('stop_search_disparity_black')
  AND `t24`.`force` IN (
    'avon-and-somerset',
    'bedfordshire',
    'cambridgeshire',
    'cheshire',
    'city-of-london',
    'cleveland',
    'cumbria',
    'derbyshire',
    'devon-and-cornwall',
    'dorset',
    'durham',
    'dyfed-powys',
    'essex',
    'gloucestershire',
    'greater-manchester',
    'gwent',
    'hampshire',
    'hertfordshire',
    'humberside',
    'kent',
    'lancashire',
    'leicestershire',
    'lincolnshire',
    'merseyside',
    'metropolitan',
    'norfolk',
    'north-wales',
    'north-yorkshire',
    'northamptonshire',
    'northumbria',
    'nottinghamshire',
    'south-wales',
    'south-yorkshire',
    'staffordshire',
    'suffolk',
    'surrey',
    'sussex',
    'thames-valley',
    'warwickshire',
    'west-mercia',
    'west-midlands',
    'west-yorkshire',
    'wiltshire',
    'england-and-wales'
  )

WITH `t10` AS (
  SELECT
    `t9`.`force`,
    `t9`.`period_end`,
    EXPLODE(
      ARRAY(STRUCT('police_uk_burglary' AS `measure`, `t9`.`m__police_uk_burglary` AS `v`))
    ) AS `__pivoted__`
  FROM (
    SELECT
      `t8`.`force`,
      `t8`.`period_end`,
      STRUCT(
        IF(`t8`.`covered__all` = 12, `t8`.`n__police_uk_burglary`, CAST(NULL AS DOUBLE)) AS `numerator`,
        `t8`.`residents` AS `denominator`,
        1000.0 AS `scale`,
        `t8`.`covered__all` AS `periods_covered`,
        CAST(NULL AS STRING) AS `definition_note`,
        `t8`.`population_note` AS `denominator_note`
      ) AS `m__police_uk_burglary`
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
        SUM(COALESCE(`t7`.`n__police_uk_burglary`, 0)) OVER (
          PARTITION BY `t7`.`force`
          ORDER BY `t7`.`period_index` ASC NULLS LAST
          ROWS BETWEEN 11 PRECEDING AND CURRENT ROW
        ) AS `n__police_uk_burglary`,
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
          `t6`.`n__police_uk_burglary`,
          `t6`.`rows__all`
        FROM `calendar_1` AS `t2`
        LEFT OUTER JOIN (
          SELECT
            `t4`.`force`,
            `t4`.`period_start`,
            CAST(SUM(IF(`t4`.`crime_type` IN ('Burglary'), `t4`.`rows__`, NULL)) AS DOUBLE) AS `n__police_uk_burglary`,
            CAST(SUM(`t4`.`rows__`) AS DOUBLE) AS `rows__all`
          FROM (
            SELECT
              `t3`.`force`,
              `t3`.`period_start`,
              `t3`.`crime_type`,
              COUNT(*) AS `rows__`
            FROM (
              SELECT
                `t1`.`crime_id`,
                `t1`.`month`,
                `t1`.`reported_by`,
                `t1`.`falls_within`,
                `t1`.`force`,
                `t1`.`longitude`,
                `t1`.`latitude`,
                `t1`.`location`,
                `t1`.`lsoa_code`,
                `t1`.`lsoa_name`,
                `t1`.`crime_type`,
                `t1`.`last_outcome_category`,
                `t1`.`context`,
                `t1`.`source_file`,
                `t1`.`source_line`,
                DATE_TRUNC('month', `t1`.`month`) AS `period_start`
              FROM `police_uk_street` AS `t1`
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
)
SELECT
  `t16`.`measure`,
  `t16`.`force`,
  `t16`.`period_end`,
  `t16`.`numerator`,
  `t16`.`denominator`,
  IF(
    `t16`.`scale` IS NULL OR ISNAN(`t16`.`scale`),
    `t16`.`numerator`,
    (
      `t16`.`numerator` * `t16`.`scale`
    ) / NULLIF(`t16`.`denominator`, 0)
  ) AS `value`,
  CAST(NULL AS DOUBLE) AS `lower`,
  CAST(NULL AS DOUBLE) AS `upper`,
  `t16`.`periods_covered`,
  `t16`.`definition_note`,
  `t16`.`denominator_note`
FROM (
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
) AS `t16`
WHERE
  `t16`.`measure` IN ('police_uk_burglary')
  AND `t16`.`force` IN (
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

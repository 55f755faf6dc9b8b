WITH "t9" AS (
  SELECT
    "t8"."force",
    "t8"."period_end",
    UNNEST(
      CAST([
        {'measure': 'residential_burglary_rolling', 'v': "t8"."m__residential_burglary_rolling"}
      ] AS STRUCT(
        "measure" TEXT,
        "v" STRUCT(
          "numerator" DOUBLE,
          "denominator" DOUBLE,
          "scale" DOUBLE,
          "periods_covered" BIGINT,
          "definition_note" TEXT,
          "denominator_note" TEXT
        )
      )[])
    ) AS "__pivoted__"
  FROM (
    SELECT
      "t7"."force",
      "t7"."period_end",
      {'numerator': CASE
        WHEN "t7"."covered__all" = 1
        THEN "t7"."n__residential_burglary_rolling"
        ELSE CAST(NULL AS DOUBLE)
      END, 'denominator': "t7"."households", 'scale': 1000.0, 'periods_covered': "t7"."covered__all", 'definition_note': CASE
        WHEN "t7"."period_end" < MAKE_DATE(2017, 4, 1)
        THEN 'earlier definition (before 2017-04-01): Home Office replaced domestic burglary with residential burglary (which also covers sheds and garages) from April 2017: the series follows domestic burglary before, and windows ending June 2017 to December 2017 hold part of each.'
        WHEN "t7"."period_end" < MAKE_DATE(2018, 3, 31)
        THEN 'window spans the definition change of 2017-04-01: Home Office replaced domestic burglary with residential burglary (which also covers sheds and garages) from April 2017: the series follows domestic burglary before, and windows ending June 2017 to December 2017 hold part of each.'
        ELSE CAST(NULL AS TEXT)
      END, 'denominator_note': CASE
        WHEN "t7"."households" IS NULL
        THEN 'no household counts in the warehouse population table for this force and year: load them with `peelstat load population` (peelstat does not estimate households)'
        ELSE CAST(NULL AS TEXT)
      END} AS "m__residential_burglary_rolling"
    FROM (
      SELECT
        "t6"."force",
        "t6"."period_start",
        "t6"."period_end",
        "t6"."period_index",
        "t6"."population_year",
        "t6"."residents",
        "t6"."households",
        "t6"."population_note",
        SUM(COALESCE("t6"."n__residential_burglary_rolling", 0)) OVER (
          PARTITION BY "t6"."force"
          ORDER BY "t6"."period_index" ASC
          ROWS BETWEEN CURRENT ROW AND CURRENT ROW
        ) AS "n__residential_burglary_rolling",
        "t6"."rows__all",
        SUM(CAST(COALESCE("t6"."rows__all", 0) > 0 AS BIGINT)) OVER (
          PARTITION BY "t6"."force"
          ORDER BY "t6"."period_index" ASC
          ROWS BETWEEN CURRENT ROW AND CURRENT ROW
        ) AS "covered__all"
      FROM (
        SELECT
          "t2"."force",
          "t2"."period_start",
          "t2"."period_end",
          "t2"."period_index",
          "t2"."population_year",
          "t2"."residents",
          "t2"."households",
          "t2"."population_note",
          "t5"."n__residential_burglary_rolling",
          "t5"."rows__all"
        FROM "calendar_1" AS "t2"
        LEFT OUTER JOIN (
          SELECT
            "t3"."force",
            "t3"."period_start",
            CAST(SUM("t3"."offences_12m") FILTER(WHERE
              "t3"."offence" IN ('Residential burglary')
              OR "t3"."offence" IN ('Domestic burglary')) AS DOUBLE) AS "n__residential_burglary_rolling",
            CAST(COUNT(*) AS DOUBLE) AS "rows__all"
          FROM (
            SELECT
              "t1"."force",
              "t1"."period_end",
              "t1"."offence",
              "t1"."offences_12m",
              "t1"."source_file",
              "t1"."source_line",
              DATE_TRUNC('QUARTER', "t1"."period_end") AS "period_start"
            FROM "recorded_crime_rolling" AS "t1"
            WHERE
              "t1"."force" IN (
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
              AND DATE_TRUNC('QUARTER', "t1"."period_end") >= MAKE_DATE(2018, 1, 1)
              AND DATE_TRUNC('QUARTER', "t1"."period_end") <= MAKE_DATE(2018, 1, 1)
          ) AS "t3"
          GROUP BY
            1,
            2
        ) AS "t5"
          ON "t2"."force" = "t5"."force" AND "t2"."period_start" = "t5"."period_start"
      ) AS "t6"
    ) AS "t7"
    WHERE
      "t7"."period_index" >= 0
  ) AS "t8"
)
SELECT
  "t15"."measure",
  "t15"."force",
  "t15"."period_end",
  "t15"."numerator",
  "t15"."denominator",
  CASE
    WHEN "t15"."scale" IS NULL
    THEN "t15"."numerator"
    ELSE (
      "t15"."numerator" * "t15"."scale"
    ) / NULLIF("t15"."denominator", 0)
  END AS "value",
  CAST(NULL AS DOUBLE) AS "lower",
  CAST(NULL AS DOUBLE) AS "upper",
  "t15"."periods_covered",
  "t15"."definition_note",
  "t15"."denominator_note"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t10"."__pivoted__"."measure" AS "measure",
      "t10"."force",
      "t10"."period_end",
      (
        "t10"."__pivoted__"."v"
      )."numerator" AS "numerator",
      (
        "t10"."__pivoted__"."v"
      )."denominator" AS "denominator",
      (
        "t10"."__pivoted__"."v"
      )."scale" AS "scale",
      (
        "t10"."__pivoted__"."v"
      )."periods_covered" AS "periods_covered",
      1 AS "window_periods",
      (
        "t10"."__pivoted__"."v"
      )."definition_note" AS "definition_note",
      (
        "t10"."__pivoted__"."v"
      )."denominator_note" AS "denominator_note"
    FROM "t9" AS "t10"
  ) AS "t11"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      "t13"."measure",
      'england-and-wales' AS "force",
      "t13"."period_end",
      CASE WHEN "t13"."complete" = 43 THEN "t13"."numerator" ELSE CAST(NULL AS DOUBLE) END AS "numerator",
      CASE
        WHEN "t13"."with_denominator" = 43
        THEN "t13"."denominator"
        ELSE CAST(NULL AS DOUBLE)
      END AS "denominator",
      "t13"."scale",
      "t13"."periods_covered",
      "t13"."window_periods",
      "t13"."definition_note",
      CASE
        WHEN (
          "t13"."complete" < 43
        ) OR (
          "t13"."with_denominator" < 43
        )
        THEN 'England and Wales needs all 43 forces; complete for ' || CAST("t13"."complete" AS TEXT)
        ELSE CAST(NULL AS TEXT)
      END AS "denominator_note"
    FROM (
      SELECT
        "t12"."measure",
        "t12"."period_end",
        SUM("t12"."numerator") AS "numerator",
        SUM("t12"."denominator") AS "denominator",
        MAX("t12"."scale") AS "scale",
        MIN("t12"."periods_covered") AS "periods_covered",
        MAX("t12"."window_periods") AS "window_periods",
        MAX("t12"."definition_note") AS "definition_note",
        COUNT("t12"."numerator") AS "complete",
        COUNT("t12"."denominator") AS "with_denominator"
      FROM (
        SELECT
          "t10"."__pivoted__"."measure" AS "measure",
          "t10"."force",
          "t10"."period_end",
          (
            "t10"."__pivoted__"."v"
          )."numerator" AS "numerator",
          (
            "t10"."__pivoted__"."v"
          )."denominator" AS "denominator",
          (
            "t10"."__pivoted__"."v"
          )."scale" AS "scale",
          (
            "t10"."__pivoted__"."v"
          )."periods_covered" AS "periods_covered",
          1 AS "window_periods",
          (
            "t10"."__pivoted__"."v"
          )."definition_note" AS "definition_note",
          (
            "t10"."__pivoted__"."v"
          )."denominator_note" AS "denominator_note"
        FROM "t9" AS "t10"
        WHERE
          "t10"."force" IN (
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
      ) AS "t12"
      GROUP BY
        1,
        2
    ) AS "t13"
  ) AS "t14"
) AS "t15"
WHERE
  "t15"."measure" IN ('residential_burglary_rolling')
  AND "t15"."force" IN (
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

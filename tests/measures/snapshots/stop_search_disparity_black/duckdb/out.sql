WITH "t9" AS (
  SELECT
    "t8"."force",
    "t8"."period_end",
    UNNEST(
      CAST([
        {'measure': 'stop_search_rate_black', 'v': "t8"."m__stop_search_rate_black"},
        {'measure': 'stop_search_rate_white', 'v': "t8"."m__stop_search_rate_white"}
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
        WHEN "t7"."covered__all" = 12
        THEN "t7"."n__stop_search_rate_black"
        ELSE CAST(NULL AS DOUBLE)
      END, 'denominator': "t7"."ethnic__stop_search_rate_black", 'scale': 1000.0, 'periods_covered': "t7"."covered__all", 'definition_note': CAST(NULL AS TEXT), 'denominator_note': 'Census 2011 residents by ethnic group'} AS "m__stop_search_rate_black",
      {'numerator': CASE
        WHEN "t7"."covered__all" = 12
        THEN "t7"."n__stop_search_rate_white"
        ELSE CAST(NULL AS DOUBLE)
      END, 'denominator': "t7"."ethnic__stop_search_rate_white", 'scale': 1000.0, 'periods_covered': "t7"."covered__all", 'definition_note': CAST(NULL AS TEXT), 'denominator_note': 'Census 2011 residents by ethnic group'} AS "m__stop_search_rate_white"
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
        "t6"."ethnic__stop_search_rate_black",
        "t6"."ethnic__stop_search_rate_white",
        SUM(COALESCE("t6"."n__stop_search_rate_black", 0)) OVER (
          PARTITION BY "t6"."force"
          ORDER BY "t6"."period_index" ASC
          ROWS BETWEEN 11 preceding AND CURRENT ROW
        ) AS "n__stop_search_rate_black",
        SUM(COALESCE("t6"."n__stop_search_rate_white", 0)) OVER (
          PARTITION BY "t6"."force"
          ORDER BY "t6"."period_index" ASC
          ROWS BETWEEN 11 preceding AND CURRENT ROW
        ) AS "n__stop_search_rate_white",
        "t6"."rows__all",
        SUM(CAST(COALESCE("t6"."rows__all", 0) > 0 AS BIGINT)) OVER (
          PARTITION BY "t6"."force"
          ORDER BY "t6"."period_index" ASC
          ROWS BETWEEN 11 preceding AND CURRENT ROW
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
          "t2"."ethnic__stop_search_rate_black",
          "t2"."ethnic__stop_search_rate_white",
          "t5"."n__stop_search_rate_black",
          "t5"."n__stop_search_rate_white",
          "t5"."rows__all"
        FROM "calendar_1" AS "t2"
        LEFT OUTER JOIN (
          SELECT
            "t3"."force",
            "t3"."period_start",
            CAST(COUNT(*) FILTER(WHERE
              "t3"."officer_defined_ethnicity" IN ('Black')) AS DOUBLE) AS "n__stop_search_rate_black",
            CAST(COUNT(*) FILTER(WHERE
              "t3"."officer_defined_ethnicity" IN ('White')) AS DOUBLE) AS "n__stop_search_rate_white",
            CAST(COUNT(*) AS DOUBLE) AS "rows__all"
          FROM (
            SELECT
              "t1"."force",
              "t1"."month",
              "t1"."type",
              "t1"."date",
              "t1"."part_of_a_policing_operation",
              "t1"."policing_operation",
              "t1"."latitude",
              "t1"."longitude",
              "t1"."gender",
              "t1"."age_range",
              "t1"."self_defined_ethnicity",
              "t1"."officer_defined_ethnicity",
              "t1"."legislation",
              "t1"."object_of_search",
              "t1"."outcome",
              "t1"."outcome_linked_to_object_of_search",
              "t1"."removal_of_more_than_just_outer_clothing",
              "t1"."source_file",
              "t1"."source_line",
              DATE_TRUNC('MONTH', "t1"."month") AS "period_start"
            FROM "police_uk_stop_search" AS "t1"
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
              AND DATE_TRUNC('MONTH', "t1"."month") >= MAKE_DATE(2017, 7, 1)
              AND DATE_TRUNC('MONTH', "t1"."month") <= MAKE_DATE(2018, 6, 1)
          ) AS "t3"
          GROUP BY
            1,
            2
        ) AS "t5"
          ON "t2"."force" = "t5"."force" AND "t2"."period_start" = "t5"."period_start"
      ) AS "t6"
    ) AS "t7"
    WHERE
      "t7"."period_index" >= 11
  ) AS "t8"
), "t15" AS (
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
      12 AS "window_periods",
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
          12 AS "window_periods",
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
)
SELECT
  "t23"."measure",
  "t23"."force",
  "t23"."period_end",
  "t23"."numerator",
  "t23"."denominator",
  "t23"."value",
  "t23"."lower",
  "t23"."upper",
  "t23"."periods_covered",
  "t23"."definition_note",
  "t23"."denominator_note"
FROM (
  SELECT
    *
  FROM (
    SELECT
      "t16"."measure",
      "t16"."force",
      "t16"."period_end",
      "t16"."numerator",
      "t16"."denominator",
      "t16"."scale",
      "t16"."periods_covered",
      "t16"."window_periods",
      "t16"."definition_note",
      "t16"."denominator_note",
      CASE
        WHEN "t16"."scale" IS NULL
        THEN "t16"."numerator"
        ELSE (
          "t16"."numerator" * "t16"."scale"
        ) / NULLIF("t16"."denominator", 0)
      END AS "value",
      CAST(NULL AS DOUBLE) AS "lower",
      CAST(NULL AS DOUBLE) AS "upper"
    FROM "t15" AS "t16"
  ) AS "t17"
  UNION ALL
  SELECT
    *
  FROM (
    SELECT
      'stop_search_disparity_black' AS "measure",
      "t20"."force",
      "t20"."period_end",
      "t20"."value" AS "numerator",
      "t21"."value" AS "denominator",
      1.0 AS "scale",
      LEAST("t20"."periods_covered", "t21"."periods_covered") AS "periods_covered",
      "t20"."window_periods",
      CAST(NULL AS TEXT) AS "definition_note",
      COALESCE("t20"."denominator_note", "t21"."denominator_note") AS "denominator_note",
      "t20"."value" / NULLIF("t21"."value", 0) AS "value",
      (
        "t20"."value" / NULLIF("t21"."value", 0)
      ) * EXP(
        SQRT(
          (
            1.0 / NULLIF("t20"."numerator", 0)
          ) + (
            1.0 / NULLIF("t21"."numerator", 0)
          )
        ) * -1.959963984540054
      ) AS "lower",
      (
        "t20"."value" / NULLIF("t21"."value", 0)
      ) * EXP(
        SQRT(
          (
            1.0 / NULLIF("t20"."numerator", 0)
          ) + (
            1.0 / NULLIF("t21"."numerator", 0)
          )
        ) * 1.959963984540054
      ) AS "upper"
    FROM (
      SELECT
        "t16"."measure",
        "t16"."force",
        "t16"."period_end",
        "t16"."numerator",
        "t16"."denominator",
        "t16"."scale",
        "t16"."periods_covered",
        "t16"."window_periods",
        "t16"."definition_note",
        "t16"."denominator_note",
        CASE
          WHEN "t16"."scale" IS NULL
          THEN "t16"."numerator"
          ELSE (
            "t16"."numerator" * "t16"."scale"
          ) / NULLIF("t16"."denominator", 0)
        END AS "value",
        CAST(NULL AS DOUBLE) AS "lower",
        CAST(NULL AS DOUBLE) AS "upper"
      FROM "t15" AS "t16"
      WHERE
        "t16"."measure" = 'stop_search_rate_black'
    ) AS "t20"
    INNER JOIN (
      SELECT
        "t16"."measure",
        "t16"."force",
        "t16"."period_end",
        "t16"."numerator",
        "t16"."denominator",
        "t16"."scale",
        "t16"."periods_covered",
        "t16"."window_periods",
        "t16"."definition_note",
        "t16"."denominator_note",
        CASE
          WHEN "t16"."scale" IS NULL
          THEN "t16"."numerator"
          ELSE (
            "t16"."numerator" * "t16"."scale"
          ) / NULLIF("t16"."denominator", 0)
        END AS "value",
        CAST(NULL AS DOUBLE) AS "lower",
        CAST(NULL AS DOUBLE) AS "upper"
      FROM "t15" AS "t16"
      WHERE
        "t16"."measure" = 'stop_search_rate_white'
    ) AS "t21"
      ON "t20"."force" = "t21"."force" AND "t20"."period_end" = "t21"."period_end"
  ) AS "t22"
) AS "t23"
WHERE
  "t23"."measure" IN ('stop_search_disparity_black')
  AND "t23"."force" IN (
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

"""Compile once: a second period range runs the first range's SQL with its own dates and
calendars, and gives exactly the frame its own freshly built expression gives."""

from __future__ import annotations

import pandas as pd
import pytest

import peelstat.measures.compile as compile_module
from peelstat.demo.warehouse import load_tables, warehouse_tables
from peelstat.measures.compile import compute_measures, measure_frame
from peelstat.measures.compiled import forget_compiled
from peelstat.warehouse.connect import connect

FORCES = ["dorset", "kent"]
MEASURES = ["police_uk_burglary", "charge_rate", "stop_search_disparity_black", "homicide"]


def built_frame(con, start: str, end: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """The frame from an expression built for this range (no compiled SQL reused)."""
    expr = measure_frame(con, MEASURES, start=start, end=end, forces=FORCES, national=False)
    frame = expr.to_pandas()
    frame["period_end"] = pd.to_datetime(frame["period_end"]).astype("datetime64[ns]")
    frame["periods_covered"] = frame["periods_covered"].astype("int64")
    for column in ("numerator", "denominator", "value", "lower", "upper"):
        frame[column] = frame[column].astype("float64")
    for column in ("definition_note", "denominator_note"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame.sort_values(["measure", "force", "period_end"]).reset_index(drop=True)


def test_a_second_range_reuses_the_sql_and_matches_its_own_expression(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    con = connect(":memory:")
    load_tables(con, warehouse_tables(first_month="2017-01", months=30, forces=FORCES))
    forget_compiled()
    compute_measures(con, MEASURES, start="2018-06", end="2019-06", forces=FORCES,
                     national=False, use_cache=False)  # fmt: skip
    built: list[int] = []
    original = compile_module._force_rows
    monkeypatch.setattr(compile_module, "_force_rows",
                        lambda *a: built.append(1) or original(*a))  # fmt: skip
    for start, end in (("2018-03", "2018-03"), ("2018-12", "2019-05")):
        reused = compute_measures(con, MEASURES, start=start, end=end, forces=FORCES,
                                  national=False, use_cache=False)  # fmt: skip
        assert built == []  # served by the SQL compiled for the first range
        expected = built_frame(con, start, end)
        built.clear()
        assert reused.period_end.min() == pd.Timestamp(start) + pd.offsets.MonthEnd(0)
        pd.testing.assert_frame_equal(reused, expected)

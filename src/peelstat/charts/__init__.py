"""Vega-Lite chart specs, one function per chart, each drawing one :mod:`peelstat.analysis` result.

The reports render these specs to static SVG (:mod:`peelstat.charts.render`, through vl-convert,
because WeasyPrint runs no JavaScript) and the web dashboard hands the same dicts to
vega-embed, so a chart is written once. Every spec is a plain JSON-ready ``dict`` (Vega-Lite
v5) with its data inline; the tests validate each against the Vega-Lite schema with Altair.

Stable names (the dashboard imports them; keep them):

=============================================  ===============================================
``history_chart(MeasureHistory)``              force vs MSG average vs England and Wales over
                                               time; a window with no value is a gap
``comparison_chart(MeasureComparison)``        all forces' sorted bars ("ski slope"), the force
                                               and its MSG highlighted, the outlier band drawn
``xmr_chart(MeasureSeries)``                   XmR chart: values, centre, limits, signals and
                                               the outlook with its interval
``grades_chart(Sequence[Judgment])``           graded judgments per area and inspection, one
                                               panel per grading scale (never one axis)
``choropleth_chart(MeasureComparison, path)``  force-area map from an ONS boundary GeoJSON
``describe_history`` / ``describe_comparison``  the text alternative of each chart: one or two
/ ``describe_xmr`` / ``describe_grades`` /     plain sentences stating what it shows
``describe_choropleth``
``render.svg(spec)`` / ``render.png(spec)``    static images through vl-convert
=============================================  ===============================================

Each builder also puts its description in the spec's ``description`` (read out by screen
readers from the SVG). Colours come from :mod:`peelstat.charts.style` (Okabe-Ito, safe for the
common colour-vision deficiencies) and series differ by dash or shape as well as colour.

>>> from peelstat.charts.history import history_chart, describe_history  # doctest: +SKIP
"""

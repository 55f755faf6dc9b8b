"""Reports people read: the force performance report, the all-forces comparison, the trend
chart and the PEEL-style inspection profile, as self-contained HTML (and PDF).

A report is a front-end like the command line: it asks the :class:`~peelstat.workspace.Workspace`
for :mod:`peelstat.analysis` results, words them (:mod:`~peelstat.reports.comments`), draws
them (:mod:`peelstat.charts`) and fills a Jinja2 template. It computes no statistics.
"""

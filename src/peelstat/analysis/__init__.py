"""What every front-end shows, as typed results: the CLI, the reports and the web app render
these objects and compute nothing of their own.

Each result is a frozen dataclass that carries its own metadata (force, period, comparison
group and where it came from, notes, data sources) with ``to_frame()`` for tables and
``to_dict()`` for JSON. The functions that build them read the measure frame and call the
statistics in :mod:`peelstat.stats`; they are reached through :class:`peelstat.workspace.Workspace`.
"""

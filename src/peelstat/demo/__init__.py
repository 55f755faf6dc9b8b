"""SYNTHETIC data, never real: police.uk-format archives for ``peelstat demo`` and benchmarks
(:mod:`~peelstat.demo.archives`), and warehouse tables for tests and benchmarks
(:mod:`~peelstat.demo.warehouse`). Labels both share are in :mod:`~peelstat.demo.labels`."""

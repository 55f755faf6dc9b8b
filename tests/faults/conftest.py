"""Hypothesis profiles for the fault-injection suite: a modest count in CI, longer on demand.

pytest tests/faults                                   # the "ci" profile: 10 examples
pytest tests/faults --hypothesis-profile=long         # 1,000 examples each
pytest tests/faults --hypothesis-profile=long --hypothesis-seed=7   # a different run
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow,
                                                       HealthCheck.data_too_large]}  # fmt: skip
settings.register_profile("ci", max_examples=10, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("long", max_examples=1000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile("ci")

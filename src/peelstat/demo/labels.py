"""Facts both SYNTHETIC generators share: police.uk labels and how a mix is drawn.

:mod:`peelstat.demo.archives` writes police.uk-format archives and
:mod:`peelstat.demo.warehouse` writes warehouse tables directly. Their labels must agree
with each other and with the real files, so they live here once. Their *numbers* deliberately
differ and stay with each generator: the demo copies the real 2018–19 mixes and volumes (with
seasonality, trends and per-force levels) so that it looks like a real archive, while the
measure tables use round, flat mixes with a floor of records per force-month so that tests are
quick and never meet an empty month. Changing either set would change their outputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

ASB = "Anti-social behaviour"
NO_FURTHER_ACTION = "A no further action disposal"
# Officer-defined ethnicity as police.uk gives it (five groups), in the generators' code order.
ETHNIC_GROUPS = ["White", "Black", "Asian", "Other", "Mixed"]
DRUGS_ACT_SEARCH = "Misuse of Drugs Act 1971 (section 23)"
LEGISLATION = [
    DRUGS_ACT_SEARCH,
    "Police and Criminal Evidence Act 1984 (section 1)",
    "Firearms Act 1968 (section 47)",
    "Criminal Justice and Public Order Act 1994 (section 60)",
]
AGE_RANGES = ["under 10", "10-17", "18-24", "25-34", "over 34"]


def draw_codes(rng: np.random.Generator, mix: Mapping[Any, float], size: int) -> np.ndarray:
    """Indices into ``mix`` drawn with its shares (normalised, so shares need not sum to 1)."""
    weights = np.array(list(mix.values()), dtype=float)
    return rng.choice(len(mix), size=size, p=weights / weights.sum())

"""Most Similar Groups: which forces a force is compared with, and where that group came from.

Order of precedence for a force's group:

1. **user-supplied**: rows in the warehouse ``msg`` table (``peelstat msg set groups.csv``),
   e.g. the HMICFRS table a force analyst has for every force;
2. **published (HMICFRS)**: the group in :func:`peelstat.reference.published_msg`
   (Avon and Somerset's, from its performance report);
3. **derived, not official**: the 7 nearest forces by
   :func:`peelstat.stats.similar_groups.similar_forces` on standardised force-area
   characteristics from the reference: population density (residents / km²), the share of
   residents who are not White (Census 2011) and log residents.

Warehouse table ``msg`` (declared in :mod:`peelstat.warehouse.tables`): ``force``, ``peer``,
``source`` — one row per force and peer, the force itself not listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ibis.backends import BaseBackend

from peelstat.errors import PeelstatError
from peelstat.reference import (
    ethnicity_census2011,
    force_area,
    population,
    published_msg,
    resolve_force,
    territorial_forces,
)
from peelstat.stats.similar_groups import METHOD, similar_forces
from peelstat.warehouse.tables import table_names, table_schema

MSG_TABLE = "msg"
USER = "user-supplied"
PUBLISHED = "published (HMICFRS)"
DERIVED = "derived, not official"


@dataclass(frozen=True)
class Group:
    """A force's comparison group (the force itself not in ``peers``) and its provenance."""

    force: str
    peers: tuple[str, ...]
    origin: str  # USER, PUBLISHED or DERIVED
    source: str  # where it came from, in words

    @property
    def members(self) -> tuple[str, ...]:
        """The force and its peers: the group ranks are taken in ("6th/8")."""
        return (self.force, *self.peers)


def force_characteristics(year: int | None = None) -> pd.DataFrame:
    """Density, non-White share and log residents per territorial force (reference data only)."""
    people = population()
    year = year or int(people["year"].max())
    residents = people[people["year"] == year].set_index("force")["residents"]
    area = force_area().set_index("force")["area_sq_km"]
    census = ethnicity_census2011().pivot_table(
        index="force", columns="ethnic_group", values="residents", aggfunc="sum"
    )
    non_white = 1 - census["White"] / census.sum(axis=1)
    forces = territorial_forces()
    return pd.DataFrame(
        {
            "log_density": np.log(residents / area),
            "non_white_share": non_white,
            "log_residents": np.log(residents),
        }
    ).reindex(forces)


def derived_groups(k: int = 7) -> pd.DataFrame:
    """Nearest-neighbour groups for every territorial force: force, peer, rank, distance, method."""
    groups = similar_forces(force_characteristics(), k=k)
    return groups.rename(columns={"neighbour": "peer"})


def _ensure_table(con: BaseBackend) -> None:
    if MSG_TABLE not in table_names(con):
        con.create_table(MSG_TABLE, schema=table_schema(MSG_TABLE))


def user_groups(con: BaseBackend) -> pd.DataFrame:
    """The warehouse ``msg`` table (empty when none was supplied)."""
    if MSG_TABLE not in table_names(con):
        return pd.DataFrame(columns=list(table_schema(MSG_TABLE).names))
    return con.table(MSG_TABLE).to_pandas()


def set_groups(con: BaseBackend, table: pd.DataFrame, source: str) -> int:
    """Store a user's groups (columns force, peer; any spelling of force names).

    Replaces the groups of every force in ``table``; other forces keep theirs.
    Returns the number of rows stored.
    """
    missing = {"force", "peer"} - set(table.columns)
    if missing:
        raise PeelstatError(
            f"{source}: an MSG table needs columns force and peer; missing {sorted(missing)}"
        )
    rows = pd.DataFrame(
        {
            "force": [resolve_force(str(f)) for f in table["force"]],
            "peer": [resolve_force(str(p)) for p in table["peer"]],
        }
    )
    rows = rows[rows["force"] != rows["peer"]].drop_duplicates().assign(source=source)
    _ensure_table(con)
    kept = user_groups(con)
    kept = kept[~kept["force"].isin(rows["force"])]
    combined = pd.concat([kept, rows], ignore_index=True)[list(table_schema(MSG_TABLE).names)]
    con.create_table(MSG_TABLE, combined, overwrite=True)
    return len(rows)


def msg_for(con: BaseBackend | None, force: str) -> Group:
    """The comparison group of one force, by the precedence in the module docstring."""
    force = resolve_force(force)
    if con is not None:
        user = user_groups(con)
        mine = user[user["force"] == force]
        if not mine.empty:
            return Group(force, tuple(sorted(mine["peer"])), USER, str(mine["source"].iloc[0]))
    published = published_msg()
    mine = published[published["force"] == force]
    if not mine.empty:
        return Group(force, tuple(sorted(mine["peer"])), PUBLISHED, str(mine["source"].iloc[0]))
    derived = derived_groups()
    mine = derived[derived["force"] == force]
    if mine.empty:
        raise PeelstatError(f"no comparison group for {force}: only territorial forces have one")
    return Group(force, tuple(mine["peer"]), DERIVED, METHOD)


def all_groups(con: BaseBackend | None) -> pd.DataFrame:
    """Every territorial force's group: force, peers, origin, source (for ``peelstat msg``)."""
    rows = []
    for force in territorial_forces():
        group = msg_for(con, force)
        rows.append(
            {
                "force": force,
                "peers": ", ".join(group.peers),
                "origin": group.origin,
                "source": group.source,
            }
        )
    return pd.DataFrame(rows)

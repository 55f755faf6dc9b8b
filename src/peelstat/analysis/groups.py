"""Comparison groups as a front-end shows them: the force, its peers, where the group came from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ibis.backends import BaseBackend

from peelstat.analysis.plain import field_names, frame_of, plain
from peelstat.measures.msg import DERIVED, Group, msg_for
from peelstat.reference import force_name, territorial_forces


@dataclass(frozen=True)
class ComparisonGroup:
    """A force's Most Similar Group: ``origin`` is user-supplied, published or derived."""

    force: str
    force_name: str
    peers: tuple[str, ...]
    peer_names: tuple[str, ...]
    origin: str
    source: str

    @classmethod
    def of(cls, group: Group) -> ComparisonGroup:
        return cls(
            group.force,
            force_name(group.force),
            group.peers,
            tuple(force_name(p) for p in group.peers),
            group.origin,
            group.source,
        )

    @property
    def members(self) -> tuple[str, ...]:
        """The force and its peers: ranks are taken among them ("6th/8")."""
        return (self.force, *self.peers)

    @property
    def official(self) -> bool:
        """Whether the group is a real one (user-supplied or HMICFRS), not derived here."""
        return self.origin != DERIVED

    def describe(self) -> str:
        """ "MSG (published (HMICFRS)): Derbyshire, Essex, … (source: …)" for a caption."""
        return f"MSG ({self.origin}): {', '.join(self.peer_names)} (source: {self.source})"

    def to_dict(self) -> dict:
        return plain(self)


@dataclass(frozen=True)
class ComparisonGroups:
    """Every territorial force's group (``peelstat msg show``)."""

    groups: tuple[ComparisonGroup, ...]

    def to_frame(self) -> pd.DataFrame:
        frame = frame_of(self.groups, field_names(ComparisonGroup))
        return frame.assign(peers=frame["peers"].map(", ".join)).drop(
            columns=["force_name", "peer_names"]
        )

    def to_dict(self) -> dict:
        return plain(self)


def comparison_group(con: BaseBackend | None, force: str) -> ComparisonGroup:
    """One force's group, by the precedence user > published > derived."""
    return ComparisonGroup.of(msg_for(con, force))


def comparison_groups(con: BaseBackend | None) -> ComparisonGroups:
    """Every territorial force's group."""
    return ComparisonGroups(tuple(comparison_group(con, f) for f in territorial_forces()))

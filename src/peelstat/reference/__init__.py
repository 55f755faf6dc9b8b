"""Reference facts: forces, name aliases, offence codes, outcome types, Most Similar Groups.

Small CSV files shipped with the package, read once and cached. Every spelling of a force
name that a source uses resolves to one slug (the police.uk archive file name, e.g.
``avon-and-somerset``) through :func:`resolve_force`.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from importlib.resources import files

import pandas as pd

from peelstat.errors import UnknownForceError

NATIONAL = "england-and-wales"
"""Force id of the England and Wales row in a measure frame."""

_SUFFIXES = (" constabulary", " police service", " police", " service")


def read_reference(name: str) -> pd.DataFrame:
    """One reference CSV (e.g. ``forces.csv``) as a DataFrame of strings and numbers."""
    with files(__package__).joinpath(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=False, na_values=[""])


@cache
def forces() -> pd.DataFrame:
    """All forces police.uk publishes, with ``territorial`` true for the 43 of England and Wales.

    >>> forces().set_index("slug").loc["avon-and-somerset", "police_uk_name"]
    'Avon and Somerset Constabulary'
    """
    table = read_reference("forces.csv")
    table["territorial"] = table["territorial"].astype(bool)
    return table


def territorial_forces() -> list[str]:
    """Slugs of the 43 territorial forces: the ones national figures and ranks cover."""
    table = forces()
    return sorted(table.loc[table["territorial"], "slug"])


def _normalise(name: str) -> str:
    text = name.strip().lower().replace("&", "and")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix.strip()) and text != suffix.strip():
            text = text[: -len(suffix.strip())].strip()
    return text


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for row in forces().to_dict("records"):
        slug = str(row["slug"])
        for column in ("slug", "name", "police_uk_name", "home_office_name"):
            if isinstance(row[column], str) and row[column]:
                index[_normalise(row[column])] = slug
        if isinstance(row["ons_pfa_code"], str) and row["ons_pfa_code"]:
            index[row["ons_pfa_code"].lower()] = slug
    aliases = read_reference("aliases.csv")
    for alias, slug in zip(aliases["alias"], aliases["slug"], strict=True):
        index[_normalise(str(alias))] = str(slug)
    return index


def resolve_force(name: str) -> str:
    """The force slug for any spelling a source uses; an unknown name lists the nearest ones.

    >>> resolve_force("Avon & Somerset")
    'avon-and-somerset'
    >>> resolve_force("Devon & Cornwall Police")
    'devon-and-cornwall'
    """
    index = _alias_index()
    key = _normalise(name)
    if key in index:
        return index[key]
    near = difflib.get_close_matches(key, list(index), n=3, cutoff=0.6)
    # a part of a name ("avon", "manchester") suggests every force it is a word of
    words = [k for k in index if key and f" {key} " in f" {k} "] if not near else []
    suggestions = sorted({force_names()[index[k]] for k in [*near, *words]})
    raise UnknownForceError(name, suggestions)


@cache
def force_names() -> dict[str, str]:
    """Display name by slug of every force in the reference table."""
    return {str(s): str(n) for s, n in zip(forces()["slug"], forces()["name"], strict=True)}


def force_name(slug: str) -> str:
    """Display name of a force, e.g. ``Avon and Somerset``; the national row is 'England and Wales'."""
    if slug == NATIONAL:
        return "England and Wales"
    try:
        return force_names()[slug]
    except KeyError:
        raise KeyError(slug) from None


@cache
def offence_codes() -> pd.DataFrame:
    """Home Office offence codes with group, subgroup and the police.uk crime type each maps to."""
    return read_reference("offence_codes.csv").astype({"offence_code": str})


@cache
def outcome_types() -> pd.DataFrame:
    """Home Office outcome types 1–22 and their groups (outcome 0, not yet assigned, is not one)."""
    return read_reference("outcome_types.csv").astype({"outcome_type": str})


@cache
def police_uk_outcome_types() -> pd.DataFrame:
    """police.uk outcome categories with the Home Office outcome type each corresponds to."""
    return read_reference("police_uk_outcomes.csv").astype({"outcome_type": str})


@cache
def published_msg() -> pd.DataFrame:
    """Most Similar Groups as HMICFRS publishes them (force, peer, source)."""
    return read_reference("msg.csv")


@cache
def population() -> pd.DataFrame:
    """Residents by force area and mid-year (ONS mid-year estimates summed over local authorities)."""
    return read_reference("population.csv")


@cache
def force_area() -> pd.DataFrame:
    """Land area of each force area in square kilometres (ONS), for density and similar groups."""
    return read_reference("force_area.csv")


@cache
def ethnicity_census2011() -> pd.DataFrame:
    """Census 2011 residents by police.uk ethnic group per force area (stop and search denominators)."""
    return read_reference("ethnicity_census2011.csv")

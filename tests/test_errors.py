"""Front-ends tell errors apart by kind: every error peelstat raises on purpose has one."""

from __future__ import annotations

import inspect

from peelstat import errors

KINDS = (
    errors.NotFoundError, errors.BadInputError, errors.DataNotAvailableError,
    errors.ConflictError, errors.NotAllowedError, errors.UnavailableError,
)  # fmt: skip


def test_every_error_class_is_of_exactly_one_kind() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass)
        if issubclass(c, errors.PeelstatError) and c is not errors.PeelstatError and c not in KINDS
    ]  # fmt: skip
    assert len(classes) >= 6
    for cls in classes:
        kinds = [k for k in KINDS if issubclass(cls, k)]
        assert len(kinds) == 1, f"{cls.__name__} is of kinds {kinds}"


def test_unknown_names_are_not_found_and_suggest_the_nearest() -> None:
    from peelstat.catalogue.loader import load_catalogue
    from peelstat.reference import resolve_force

    try:
        load_catalogue()["police_uk_burglry"]
    except errors.NotFoundError as error:
        assert "police_uk_burglary" in str(error)
    else:
        raise AssertionError("an unknown measure must be refused")
    try:
        resolve_force("avon")
    except errors.NotFoundError as error:
        assert "Avon and Somerset" in str(error)
    else:
        raise AssertionError("an unknown force must be refused")

"""Turning Workspace results into HTTP bodies: JSON as ``to_dict()`` gives it, or CSV.

Each API table is registered twice from one function, ``/api/v1/<name>`` and
``/api/v1/<name>.csv``, so the two can never disagree.
"""

from __future__ import annotations

import functools
import inspect
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from peelstat.analysis.plain import plain, records
from peelstat.analysis.provenance import OGL
from peelstat.web.deps import results as results_of


class Tabular(Protocol):
    def to_dict(self) -> dict: ...

    def to_frame(self) -> pd.DataFrame: ...


@dataclass(frozen=True)
class Rows:
    """A plain table (the measure frame, the load log) with the licence, as a result."""

    name: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def to_dict(self) -> dict:
        return {self.name: plain(records(self.frame)), "notes": list(self.notes),
                "licence": OGL}  # fmt: skip


def csv_response(frame: pd.DataFrame, name: str) -> Response:
    text = io.StringIO()
    frame.to_csv(text, index=False, date_format="%Y-%m-%d")
    return Response(
        text.getvalue(), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )  # fmt: skip


def with_request(endpoint: Callable) -> None:
    """Add the request to an endpoint's signature (the body is remembered per URL)."""
    signature = inspect.signature(endpoint)
    first = inspect.Parameter(
        "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
    )
    endpoint.__signature__ = signature.replace(parameters=[first, *signature.parameters.values()])  # type: ignore[attr-defined]


def table_route(router: APIRouter, path: str, summary: str) -> Callable:
    """Register ``fn`` (returning a result) at ``path`` as JSON and at ``path.csv`` as CSV."""
    name = path.rstrip("/").rsplit("/", 1)[-1]

    def register(fn: Callable[..., Tabular]) -> Callable[..., Tabular]:
        @functools.wraps(fn)
        def as_json(request: Request, *args: Any, **kwargs: Any) -> Response:
            def body() -> bytes:
                return bytes(JSONResponse(fn(*args, **kwargs).to_dict()).body)

            content = results_of(request).remember(("json", path, request.url.query), body)
            return Response(content, media_type="application/json")

        @functools.wraps(fn)
        def as_csv(*args: Any, **kwargs: Any) -> Response:
            return csv_response(fn(*args, **kwargs).to_frame(), name)

        with_request(as_json)

        csv_doc: dict[int | str, dict[str, Any]] = {
            200: {"content": {"text/csv": {}}, "description": "The table as CSV."}
        }
        router.get(path, summary=summary, response_class=JSONResponse, response_model=None)(as_json)
        router.get(f"{path}.csv", summary=f"{summary} (CSV)", response_class=Response, response_model=None,
                   responses=csv_doc)(as_csv)  # fmt: skip
        return fn

    return register

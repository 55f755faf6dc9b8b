"""The FastAPI app: pages, the JSON API, static files, error statuses and security headers.

Errors are told apart by kind (:mod:`peelstat.errors`), never by message: an unknown force,
measure or period is a 404 naming the nearest valid ones, bad input a 422, and so on; the
message itself is shown to the user as the layers below wrote it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from peelstat import __version__
from peelstat.errors import (
    BadInputError,
    ConflictError,
    DataNotAvailableError,
    NotAllowedError,
    NotFoundError,
    PeelstatError,
    SignInError,
    WarehouseBusyError,
    WarehouseUnreadableError,
)
from peelstat.web.deps import IMPORT_MAP, WebSettings, templates
from peelstat.web.results import Results
from peelstat.web.security import SESSION_COOKIE, SESSION_HOURS
from peelstat.workspace import Workspace

STATIC = Path(__file__).parent / "static"
STATUSES: tuple[tuple[type[PeelstatError], int], ...] = (
    (NotFoundError, 404), (BadInputError, 422), (DataNotAvailableError, 409),
    (ConflictError, 409), (SignInError, 401), (NotAllowedError, 403),
    (WarehouseBusyError, 503), (WarehouseUnreadableError, 503),
)  # fmt: skip
"""Each error kind's HTTP status (the most specific kind first); any other error is a 500."""
IMPORT_MAP_HASH = base64.b64encode(hashlib.sha256(IMPORT_MAP.encode()).digest()).decode()
SECURITY_HEADERS = {
    # No 'unsafe-eval': charts use Vega's expression interpreter (static/interpreter.js); the
    # only inline script is the import map, allowed by its hash; nothing from elsewhere.
    "Content-Security-Policy": f"default-src 'self'; script-src 'self' 'sha256-{IMPORT_MAP_HASH}'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def status_of(error: PeelstatError) -> int:
    return next((code for kind, code in STATUSES if isinstance(error, kind)), 500)


def create_app(workspace: Workspace, settings: WebSettings | None = None) -> FastAPI:
    """The dashboard over ``workspace`` (opened read-only: the app never writes the warehouse)."""
    from peelstat.web.routers import api, inspection, pages

    settings = settings or WebSettings()
    results = Results(workspace)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm:
            pages.warm(results)  # the first visitor gets the overview from memory
        yield
        results.close()

    app = FastAPI(
        title="peelstat dashboard API", version=__version__, lifespan=lifespan,
        description="Police performance measures for England and Wales from the peelstat "
        "warehouse: the same figures, notes and provenance as the command line and reports.",
        docs_url="/api/docs", redoc_url=None,
    )  # fmt: skip
    app.state.results, app.state.settings = results, settings
    app.add_middleware(
        SessionMiddleware, secret_key=settings.secret or secrets.token_urlsafe(32),
        session_cookie=SESSION_COOKIE, max_age=SESSION_HOURS * 3600, same_site="strict",
        https_only=settings.https_only,
    )  # fmt: skip
    app.middleware("http")(_security_headers)
    app.exception_handler(PeelstatError)(_peelstat_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(inspection.router)
    return app


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    if request.url.path.startswith("/static/vendor/"):
        response.headers["Cache-Control"] = "public, max-age=86400"
    return response


async def _peelstat_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, PeelstatError)
    status = status_of(error)
    suggestions = list(getattr(error, "suggestions", []) or [])
    if request.url.path.startswith("/api/"):
        body = {"error": type(error).__name__, "message": str(error), "suggestions": suggestions}
        return JSONResponse(body, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": str(error),
                                "suggestions": suggestions}, status_code=status,
    )  # fmt: skip

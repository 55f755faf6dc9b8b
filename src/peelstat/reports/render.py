"""HTML from Jinja2 templates, and PDF from that HTML through WeasyPrint.

The HTML is self-contained and offline: styles inline, charts as SVG ``data:`` images (so each
keeps its own ids), system fonts only. Nothing in the body depends on the clock, so the same
warehouse gives byte-identical HTML.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import jinja2

from peelstat.analysis.provenance import OGL
from peelstat.charts.render import svg_data_uri
from peelstat.charts.style import number, whole
from peelstat.reports.comments import CHANGE_RULE, RANK_RANGE_RULE, with_unit


def _doc(obj: Any) -> list[str]:
    """A module's docstring as paragraphs: the rule, written once, where it is implemented."""
    text = inspect.getdoc(obj) or ""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peelstat.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        whole=whole, number=number, with_unit=with_unit, chart_image=svg_data_uri, doc=_doc
    )
    env.globals.update(OGL=OGL, rank_range_rule=RANK_RANGE_RULE, change_rule=CHANGE_RULE)
    return env


def render_html(template: str, **context: Any) -> str:
    """The page ``template`` (in ``reports/templates``) filled with ``context``;
    ``warehouse_notes`` (a result's ``sources.notes``) become a banner above the page and a
    heading on every PDF page: a SYNTHETIC warehouse says so."""
    context.setdefault("warehouse_notes", ())
    return environment().get_template(template).render(**context)


def write_html(html: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path


def write_pdf(html: str, path: Path) -> Path:
    """The same page as an A4 landscape PDF (the page size is in the template's CSS)."""
    import weasyprint

    path.parent.mkdir(parents=True, exist_ok=True)
    weasyprint.HTML(string=html, base_url=str(path.parent)).write_pdf(path)
    return path

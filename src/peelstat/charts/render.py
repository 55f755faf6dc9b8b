"""Static images of chart specs through vl-convert (no browser, no network).

The reports embed SVG: WeasyPrint runs no JavaScript, and an SVG stays sharp when printed.
vl-convert bundles Vega-Lite; the version is pinned so the same spec gives the same bytes.
"""

from __future__ import annotations

import base64
from typing import Any

VEGA_LITE_VERSION = "5.21"


def svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION))


def png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """The chart as a PNG (``scale`` 2 for print and high-density screens)."""
    import vl_convert

    return bytes(vl_convert.vegalite_to_png(spec, vl_version=VEGA_LITE_VERSION, scale=scale))


def svg_data_uri(spec: dict[str, Any]) -> str:
    """The SVG as a ``data:`` URI for an ``<img>``: each chart keeps its own ids (clip paths),
    which inline SVGs in one page would share and break."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(spec).encode()).decode()

"""Arrow columns as police.uk files hold them, and the demo's month numbering.

Text columns are dictionary-encoded (a few values, many rows) so a national month is built
and written quickly; the CSV writer spells them out.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peelstat.demo.labels import draw_codes

# pyarrow writes CSV fast but cannot quote only where needed; a comma inside a location is
# written as this placeholder and then replaced by the quoted text real files have.
COMMA_PLACEHOLDER = "\x1f "
STREET_WITH_COMMA = f"On or near Synthetic Street 7{COMMA_PLACEHOLDER}Synthetic Town"


def ordinal(month: str) -> int:
    """'YYYY-MM' as a month count (year * 12 + month - 1), so months subtract simply."""
    year, number = map(int, month.split("-"))
    return year * 12 + number - 1


def month_name(month: int) -> str:
    """A month count back as 'YYYY-MM'."""
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def categories(values: list[str], codes: np.ndarray) -> pa.DictionaryArray:
    """A text column as indices into its few values (written to CSV as the values)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(values))


def optional(values: list[str], codes: np.ndarray, missing: np.ndarray) -> pa.DictionaryArray:
    """As :func:`categories`, empty where ``missing`` (ASB has no outcome, vehicles no gender)."""
    return pa.DictionaryArray.from_arrays(
        pa.array(codes, pa.int32(), mask=missing), pa.array(values)
    )


def flag(rng: np.random.Generator, shares: tuple[float, float], n: int) -> pa.DictionaryArray:
    """A True/False/empty column with the given shares of True and False."""
    true, false = shares
    codes = draw_codes(rng, {"True": true, "False": false, "": 1 - true - false}, n)
    return optional(["True", "False", ""], codes, codes == 2)


def coordinates(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    """Degrees to six decimal places, as police.uk gives them; empty where there is no place."""
    rounded = pc.round(pa.array(values, mask=missing), 6)
    return pc.cast(rounded, pa.string())


def hex_ids(raw: np.ndarray) -> pa.Array:
    """64-character lowercase hex IDs (like police.uk's) from rows of 32 random bytes."""
    text = raw.tobytes().hex().encode()
    offsets = np.arange(0, 64 * (len(raw) + 1), 64, dtype=np.int32)
    return pa.StringArray.from_buffers(len(raw), pa.py_buffer(offsets), pa.py_buffer(text))

"""Heartbeat's own readings of values: times (cluster-glue's ms parser), booleans, atoi."""

from __future__ import annotations

import re

_NUMCHARS = re.compile(r"[0-9.]+")
_NUMERIC_ADDRESS = re.compile(r"^[0-9.]+$")
_FLOAT_PREFIX = re.compile(r"[0-9]*\.?[0-9]*")
_ATOI = re.compile(r"[ \t\n\r\f\v]*([+-]?[0-9]+)")

TRUE_WORDS = ("true", "on", "yes", "y", "1")
FALSE_WORDS = ("false", "off", "no", "n", "0")


def parse_time_ms(text: str) -> int | None:
    """Milliseconds as cluster-glue reads a time value, or None when it rejects it.

    No suffix means seconds; a suffix starting with `ms` means milliseconds and one starting
    with `us` microseconds (case-insensitive); anything else (`s`, `sec`, `min`) is invalid.
    """
    numbers = _NUMCHARS.match(text)
    if numbers is None:
        return None
    units = text[numbers.end() :].lower()
    if units == "":
        factor = 1000.0
    elif units.startswith("ms"):
        factor = 1.0
    elif units.startswith("us"):
        factor = 0.001
    else:
        return None
    prefix = _FLOAT_PREFIX.match(numbers.group()).group()  # type: ignore[union-attr]
    number = float(prefix) if prefix not in ("", ".") else 0.0
    return int(number * factor + 0.5)


def parse_bool(text: str) -> bool | None:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def atoi(text: str) -> tuple[int, bool]:
    """C atoi: the value, and whether the whole text was a clean integer."""
    match = _ATOI.match(text)
    if match is None:
        return 0, False
    return int(match.group(1)), match.end() == len(text)


def format_ms(ms: int) -> str:
    """A time for a message: `30 s`, `1.5 s`, `200 ms`."""
    if ms % 1000 == 0:
        return f"{ms // 1000} s"
    if ms > 1000:
        return f"{ms / 1000:g} s"
    return f"{ms} ms"


def is_numeric_address(text: str) -> bool:
    """Digits and dots only: an address the C library reads, not a name to resolve."""
    return _NUMERIC_ADDRESS.match(text) is not None

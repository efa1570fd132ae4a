"""Heartbeat's own readings of values: times (cluster-glue's ms parser), booleans, atoi."""

from __future__ import annotations

import re

from halint.regex import compiled

_NUMCHARS = compiled(r"[0-9.]+")
_NUMERIC_ADDRESS = compiled(r"^[0-9.]+$")
_FLOAT_PREFIX = compiled(r"[0-9]*\.?[0-9]*")
_ATOI = compiled(r"[ \t\n\r\f\v]*([+-]?)0*([0-9]+)")

# C's long and int on the 64-bit Linux Heartbeat runs on.
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
_LONG_DIGITS = len(str(LONG_MAX))

# Values templates and tutorials leave for the admin's own: `<hostname>` (or its first word,
# `<backup`, when the placeholder has blanks), `{{ var }}`, `${VAR}`, `node1_hostname`, an
# address with letters for its last digits (`192.168.1.x`, `172.16.1.21x`), ...
_PLACEHOLDER = compiled(
    r"^(<[^>]*>?|[^<]*>|\{\{.*\}\}|\$\{?\w+\}?|node\d*_?hostname|(primary|secondary)_node_hostname|"
    r"hostname\d*|your[-_]?\w+|virtual[-_]?ip.*|network_adapter|interface|gateway|"
    r"ip[-_]?address|x+\.x+\.x+\.x+|\d{1,3}(\.\d{1,3}){0,2}\.\d*x+|xxx+|changeme|example)$",
    re.IGNORECASE,
)

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
    number = float(prefix) if prefix not in ("", ".") else 0.0  # a C double: inf past 1e308
    return to_long(number * factor + 0.5)


# Units that mean seconds, which a bare number already is: `deadtime 30s` is `deadtime 30`
# (Heartbeat refuses the unit; HL102 takes it off).
SECONDS = ("s", "sec", "secs", "second", "seconds")
_NUMBER_AND_UNIT = compiled(r"^([0-9][0-9.]*)([A-Za-z]+)$")


def seconds_meant(text: str) -> str | None:
    """The bare number a time written in seconds with a unit means (`30s` -> `30`), or None."""
    match = _NUMBER_AND_UNIT.match(text)
    if match is None or match.group(2).lower() not in SECONDS:
        return None
    return match.group(1)


def to_long(number: float) -> int:
    """C's `(long) number` on x86-64: a value out of range (inf included) becomes LONG_MIN,
    so an absurdly long time is a negative one for Heartbeat."""
    if number != number or not LONG_MIN <= number < 2.0**63:
        return LONG_MIN
    return int(number)


def parse_bool(text: str) -> bool | None:
    lowered = text.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    return None


def atoi(text: str) -> tuple[int, bool]:
    """C atoi (glibc: `(int) strtol(text, NULL, 10)`): the value, and whether the whole text
    was an integer that reads as itself. strtol saturates at LONG_MIN/LONG_MAX and the cast
    to int keeps the low 32 bits, so `99999999999999999999` is -1; the digits are never
    converted whole (Python refuses integers of more than 4,300 digits)."""
    match = _ATOI.match(text)
    if match is None:
        return 0, False
    sign, digits = match.group(1), match.group(2)
    if len(digits) > _LONG_DIGITS:
        long_value = LONG_MIN if sign == "-" else LONG_MAX
    else:
        long_value = max(LONG_MIN, min(LONG_MAX, int(sign + digits)))
    value = (long_value + 2**31) % 2**32 - 2**31
    exact = len(digits) <= 10 and value == int(sign + digits)
    return value, exact and match.end() == len(text)


def format_ms(ms: int) -> str:
    """A time for a message: `30 s`, `1.5 s`, `200 ms`."""
    if ms % 1000 == 0:
        return f"{ms // 1000} s"
    if ms > 1000:
        return f"{ms / 1000:g} s"
    return f"{ms} ms"


def is_placeholder(text: str) -> bool:
    """A word that looks like a template's or tutorial's stand-in for a real value."""
    return _PLACEHOLDER.match(text) is not None


# (pattern strings: compiled on first use and kept)
_HOST_NAME = r"(?i)^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
_ADDRESS_WITH_LETTERS = r"(?i)^\d{1,3}(\.\d{1,3}){0,2}\.\d*x+$"


def could_be_host_name(text: str) -> bool:
    """Written as a host name can be (RFC 1123), and not an address with letters for digits."""
    return (
        compiled(_HOST_NAME).match(text) is not None
        and compiled(_ADDRESS_WITH_LETTERS).match(text) is None
    )


def is_numeric_address(text: str) -> bool:
    """Digits and dots only: an address the C library reads, not a name to resolve."""
    return _NUMERIC_ADDRESS.match(text) is not None

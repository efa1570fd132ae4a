"""`--since` / `--until`: the part of the logs to read, as an absolute time or an age."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from halint.i18n import _

_AGE = re.compile(r"^(?P<n>\d+)\s*(?P<unit>s|sec|m|min|h|d|w)$")
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
)


EARLIEST = "0001-01-01 00:00:00"  # an age reaching back past any log: every line is kept


class WindowError(Exception):
    """A --since/--until value that is neither a time nor an age (usage error)."""


@dataclass(frozen=True, slots=True)
class Bounds:
    since: str = ""  # "YYYY-MM-DD HH:MM:SS", as the events' times; "" for no bound
    until: str = ""
    since_text: str = ""
    until_text: str = ""

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def holds(self, when: str) -> bool:
        """A line with no time of its own (a paste) is kept."""
        if not when:
            return True
        return (not self.since or when >= self.since) and (not self.until or when <= self.until)

    def describe(self) -> str:
        """The window in words, for the nagios line (`in the last 15m`)."""
        if self.since_text and self.until_text:
            return _("from {since} to {until}").format(since=self.since_text, until=self.until_text)
        if self.since_text:
            if _AGE.match(self.since_text.strip()):
                return _("in the last {age}").format(age=self.since_text)
            return _("since {since}").format(since=self.since_text)
        return _("until {until}").format(until=self.until_text) if self.until_text else ""


def moment(text: str, now: datetime | None = None) -> str:
    """'2h' (2 hours ago), '2026-11-24 21:00' -> 'YYYY-MM-DD HH:MM:SS'."""
    value = text.strip()
    age = _AGE.match(value)
    if age:
        seconds = int(age.group("n")) * _UNITS[age.group("unit")]
        try:
            when = (now or datetime.now()) - timedelta(seconds=seconds)
        except OverflowError:  # older than year 1: the whole log
            return EARLIEST
        return when.strftime("%Y-%m-%d %H:%M:%S") if when.year >= 1000 else EARLIEST
    for form in _FORMATS:
        try:
            return datetime.strptime(value, form).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
    raise WindowError(
        _(
            "`{text}` is neither a time (2026-11-24 21:00, 2026-11-24T21:00:00, 2026-11-24) "
            "nor an age (90s, 30m, 2h, 1d, 1w)"
        ).format(text=text)
    )


def window(since: str | None, until: str | None, now: datetime | None = None) -> Bounds:
    start = moment(since, now) if since else ""
    end = moment(until, now) if until else ""
    if start and end and end < start:
        raise WindowError(
            _("`--until {until}` is before `--since {since}`").format(until=until, since=since)
        )
    return Bounds(start, end, since or "", until or "")

"""The timing values Heartbeat ends up with: defaults filled in as heartbeat/config.c does."""

from __future__ import annotations

from halint.models import HaCf, TimeSetting, Word
from halint.values import parse_time_ms, seconds_meant

DEFAULT_KEEPALIVE_MS = 1000
DEFAULT_DEADTIME_MS = 30000


class Timing:
    """The five times in milliseconds, and whether initdead and warntime were written."""

    __slots__ = (
        "deadping",
        "deadtime",
        "initdead",
        "initdead_given",
        "keepalive",
        "warntime",
        "warntime_given",
    )

    def __init__(
        self,
        *,
        keepalive: int,
        deadtime: int,
        warntime: int,
        initdead: int,
        deadping: int,
        initdead_given: bool,
        warntime_given: bool,
    ) -> None:
        self.keepalive = keepalive
        self.deadtime = deadtime
        self.warntime = warntime
        self.initdead = initdead
        self.deadping = deadping
        self.initdead_given = initdead_given
        self.warntime_given = warntime_given


def default_initdead(deadtime: int) -> int:
    """deadtime if it is over 10 s; 12 s if it is under 6 s; else twice deadtime."""
    if deadtime > 10000:
        return deadtime
    if deadtime < 6000:
        return 12000
    return 2 * deadtime


def _ms(setting: TimeSetting | None, default: int) -> int:
    return setting.value if setting is not None else default


def meant_times(hacf: HaCf) -> dict[str, tuple[int, Word]]:
    """The times written in seconds with a unit (`deadtime 100s`), which Heartbeat refuses and
    HL102's fix makes bare numbers: by directive, what they mean in milliseconds and the word."""
    meant: dict[str, tuple[int, Word]] = {}
    for fact in hacf.unparsed:
        if fact.reason == "not-a-time" and fact.directive:
            number = seconds_meant(fact.word.text)
            ms = parse_time_ms(number) if number is not None else None
            if ms is not None and ms > 0:
                meant[fact.directive] = (ms, fact.word)
    return meant


def timing_of(hacf: HaCf, meant: dict[str, tuple[int, Word]] | None = None) -> Timing:
    """The times Heartbeat reads; with `meant` (meant_times), a time written `100s` read as
    HL102's fix will write it (a fix of one time computed from another must not undo the
    other's fix)."""
    said = meant or {}

    def ms(name: str, setting: TimeSetting | None, default: int) -> int:
        return said[name][0] if name in said else _ms(setting, default)

    keepalive = ms("keepalive", hacf.keepalive, DEFAULT_KEEPALIVE_MS)
    deadtime = ms("deadtime", hacf.deadtime, DEFAULT_DEADTIME_MS)
    return Timing(
        keepalive=keepalive,
        deadtime=deadtime,
        warntime=ms("warntime", hacf.warntime, deadtime // 2),
        initdead=ms("initdead", hacf.initdead, default_initdead(deadtime)),
        deadping=ms("deadping", hacf.deadping, deadtime),
        initdead_given=hacf.initdead is not None or "initdead" in said,
        warntime_given=hacf.warntime is not None or "warntime" in said,
    )

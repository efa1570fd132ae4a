"""The timing values Heartbeat ends up with: defaults filled in as heartbeat/config.c does."""

from __future__ import annotations

from halint.models import HaCf, TimeSetting

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


def timing_of(hacf: HaCf) -> Timing:
    keepalive = _ms(hacf.keepalive, DEFAULT_KEEPALIVE_MS)
    deadtime = _ms(hacf.deadtime, DEFAULT_DEADTIME_MS)
    return Timing(
        keepalive=keepalive,
        deadtime=deadtime,
        warntime=_ms(hacf.warntime, deadtime // 2),
        initdead=_ms(hacf.initdead, default_initdead(deadtime)),
        deadping=_ms(hacf.deadping, deadtime),
        initdead_given=hacf.initdead is not None,
        warntime_given=hacf.warntime is not None,
    )

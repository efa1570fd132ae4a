"""The cluster's story: starts, refusals, links, nodes, takeovers and releases of each group."""

from __future__ import annotations

import re
from dataclasses import dataclass

from halint.logs.reader import Event
from halint.redact import redact_log_line
from halint.rulemeta import heartbeat_says

# What heartbeat_says fills in where the daemon writes a value: cut out again below.
_FILLED = "\x00"


def _head(message: str) -> str:
    """The fixed text of a message (heartbeat_says(..., _FILLED)) before its first value."""
    return message.split(_FILLED, 1)[0]


def _literal(text: str) -> str:
    """`text` as a regular expression, its blanks left as they are (needles.py reads a
    pattern's leading word up to its first blank)."""
    return re.escape(text).replace("\\ ", " ")


def _between(message: str, filled: str) -> str:
    """A regular expression of a message (heartbeat_says(..., _FILLED)) whose one value
    `filled` matches, without its full stop."""
    before, after = message.split(_FILLED)
    return _literal(before) + filled + _literal(after.rstrip("."))


# (event name, needle, regex over the message, detail template)
RULES: tuple[tuple[str, str, re.Pattern[str], str], ...] = tuple(
    (name, needle, re.compile(regex), detail)
    for name, needle, regex, detail in (
        ("start", "Configuration validated", r"Starting heartbeat (?P<v>\S+)", "heartbeat {v}"),
        (
            "refused-start",
            "Configuration error, heartbeat not started",
            r"Configuration error",
            "configuration refused",
        ),
        (
            "shutdown-notice",
            "Received shutdown notice",
            r"from '(?P<peer>[^']+)'",
            "{peer} announced its shutdown",
        ),
        ("stopping", "Heartbeat shutdown in progress", r"shutdown in progress", "shutting down"),
        # "node1 Heartbeat shutdown complete.": after the node's name (see needles.py)
        (
            "stopped",
            "Heartbeat shutdown complete",
            r"^(?:\S+ )?Heartbeat shutdown complete",
            "stopped",
        ),
        ("link-up", " up.", r"^Link (?P<peer>[^:\s]+):(?P<iface>\S+?) up\.", "{peer} via {iface}"),
        (
            "link-dead",
            " dead.",
            r"^Link (?P<peer>[^:\s]+):(?P<iface>\S+?) dead\.",
            "{peer} via {iface}",
        ),
        (
            "node-active",
            "Status update for node",
            r"Status update for node (?P<peer>\S+): status active",
            "{peer} is active",
        ),
        ("node-dead", ": is dead", r"node (?P<peer>\S+): is dead", "{peer} declared dead"),
        (
            "takeover",
            _head(heartbeat_says("HL702", "Resources being acquired", _FILLED)).rstrip(),
            r"acquired from (?P<peer>\S+?)\.?$",
            "taking over from {peer}",
        ),
        (
            "acquire",
            "Acquiring resource group",
            _literal(_head(heartbeat_says("HL711", "Acquiring", _FILLED)))
            + r"(?P<owner>\S+) (?P<group>\S+)(?P<rest>.*)$",
            "{group}{rest} (preferred node {owner})",
        ),
        (
            "release",
            "Releasing resource group",
            _literal(_head(heartbeat_says("HL711", "Releasing", _FILLED)))
            + r"(?P<owner>\S+) (?P<group>\S+)(?P<rest>.*)$",
            "{group}{rest}",
        ),
        (
            "failback",
            "Giving up foreign resources",
            r"Giving up foreign resources",
            "giving foreign resources back (auto_failback)",
        ),
        ("standby", "Local standby", r"(?P<what>Local standby.*)$", "{what}"),
        (
            "standby",
            "Other node completed standby",
            r"(?P<what>Other node completed standby.*)$",
            "{what}",
        ),
        ("split-brain", "Both machines own", r"Both machines own", "both nodes hold the resources"),
        (
            "partition-end",
            "returning after partition",
            _between(heartbeat_says("HL703", "Cluster node", _FILLED), r"(?P<peer>\S+)"),
            "{peer} is back after a partition",
        ),
        (
            "restart",
            "Emergency Shutdown",
            r"Emergency Shutdown(?P<why>.*)$",
            "emergency shutdown{why}",
        ),
        ("restart", "Rebooting system", r"Rebooting system(?P<why>.*)$", "reboot{why}"),
    )
)
GROUP_EVENTS = ("acquire", "release")


@dataclass(slots=True)
class TimelineEntry:
    time: str
    node: str | None
    event: str
    detail: str
    path: str
    line: int
    group: str | None = None
    text: str = ""


def timeline_hit(index: int, values: dict[str, str]) -> tuple[str, str, str | None]:
    """(event name, detail, resource group) of a message that matched TIMELINE_RULES[index]
    with these groups: what the entry says, whatever line it was read from."""
    name, _, _, detail = RULES[index]
    group = values.get("group") if name in GROUP_EVENTS else None
    return name, detail.format(**values).strip(), group


def entry_for(event: Event, name: str, detail: str, group: str | None) -> TimelineEntry:
    """The timeline entry of an event that is a timeline event (see timeline_hit)."""
    return TimelineEntry(
        event.time, event.node, name, detail, event.path, event.line, group, event.text
    )


def redacted(entry: TimelineEntry) -> TimelineEntry:
    """The entry with its line trimmed and any key material in it masked."""
    entry.text = redact_log_line(entry.text.strip()[:300])
    return entry

"""The cluster's story: starts, refusals, links, nodes, takeovers and releases of each group."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import cache

from halint.i18n import N_, language, translate
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


# (event name, needle, regex over the message, detail template). The details are English in
# the timeline (the handlers and skew.py read the peer off their first word); shown_detail says
# them in the chosen language. A template that is only a placeholder (`{what}`: Heartbeat's own
# words) is shown as the log has it.
RULES: tuple[tuple[str, str, re.Pattern[str], str], ...] = tuple(
    (name, needle, re.compile(regex), detail)
    for name, needle, regex, detail in (
        ("start", "Configuration validated", r"Starting heartbeat (?P<v>\S+)", N_("heartbeat {v}")),
        (
            "refused-start",
            "Configuration error, heartbeat not started",
            r"Configuration error",
            N_("configuration refused"),
        ),
        (
            "shutdown-notice",
            "Received shutdown notice",
            r"from '(?P<peer>[^']+)'",
            N_("{peer} announced its shutdown"),
        ),
        (
            "stopping",
            "Heartbeat shutdown in progress",
            r"shutdown in progress",
            N_("shutting down"),
        ),
        # "node1 Heartbeat shutdown complete.": after the node's name (see needles.py)
        (
            "stopped",
            "Heartbeat shutdown complete",
            r"^(?:\S+ )?Heartbeat shutdown complete",
            N_("stopped"),
        ),
        (
            "link-up",
            " up.",
            r"^Link (?P<peer>[^:\s]+):(?P<iface>\S+?) up\.",
            N_("{peer} via {iface}"),
        ),
        (
            "link-dead",
            " dead.",
            r"^Link (?P<peer>[^:\s]+):(?P<iface>\S+?) dead\.",
            N_("{peer} via {iface}"),
        ),
        (
            "node-active",
            "Status update for node",
            r"Status update for node (?P<peer>\S+): status active",
            N_("{peer} is active"),
        ),
        ("node-dead", ": is dead", r"node (?P<peer>\S+): is dead", N_("{peer} declared dead")),
        (
            "takeover",
            _head(heartbeat_says("HL702", "Resources being acquired", _FILLED)).rstrip(),
            r"acquired from (?P<peer>\S+?)\.?$",
            N_("taking over from {peer}"),
        ),
        (
            "acquire",
            "Acquiring resource group",
            _literal(_head(heartbeat_says("HL711", "Acquiring", _FILLED)))
            + r"(?P<owner>\S+) (?P<group>\S+)(?P<rest>.*)$",
            N_("{group}{rest} (preferred node {owner})"),
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
            N_("giving foreign resources back (auto_failback)"),
        ),
        ("standby", "Local standby", r"(?P<what>Local standby.*)$", "{what}"),
        (
            "standby",
            "Other node completed standby",
            r"(?P<what>Other node completed standby.*)$",
            "{what}",
        ),
        (
            "split-brain",
            "Both machines own",
            r"Both machines own",
            N_("both nodes hold the resources"),
        ),
        (
            "partition-end",
            "returning after partition",
            _between(heartbeat_says("HL703", "Cluster node", _FILLED), r"(?P<peer>\S+)"),
            N_("{peer} is back after a partition"),
        ),
        (
            "restart",
            "Emergency Shutdown",
            r"Emergency Shutdown(?P<why>.*)$",
            N_("emergency shutdown{why}"),
        ),
        ("restart", "Rebooting system", r"Rebooting system(?P<why>.*)$", N_("reboot{why}")),
    )
)
GROUP_EVENTS = ("acquire", "release")
# The details the handlers give an entry in place of its own (halint/logs/handlers/nodes.py).
PLANNED_STOP = N_("{peer} stopped as planned (shutdown notice at {time})")
NEVER_HEARD = N_("{peer} declared dead, never heard since {node} started")
_HANDLERS_DETAILS = (("planned-stop", PLANNED_STOP), ("node-dead", NEVER_HEARD))
# What the text report calls each event (the JSON's `event` is the name itself, in every
# language).
EVENT_NAMES = {
    # TRANSLATORS: the events of diagnose's timeline, as its column names them
    "start": N_("start"),
    "refused-start": N_("refused-start"),
    "shutdown-notice": N_("shutdown-notice"),
    "stopping": N_("stopping"),
    "stopped": N_("stopped"),
    "link-up": N_("link-up"),
    "link-dead": N_("link-dead"),
    "node-active": N_("node-active"),
    "node-dead": N_("node-dead"),
    "planned-stop": N_("planned-stop"),
    "takeover": N_("takeover"),
    "acquire": N_("acquire"),
    "release": N_("release"),
    "failback": N_("failback"),
    "standby": N_("standby"),
    "split-brain": N_("split-brain"),
    "partition-end": N_("partition-end"),
    "restart": N_("restart"),
}


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


def shown_event(name: str) -> str:
    """An event's name as the text report shows it, in the chosen language."""
    return translate(EVENT_NAMES[name]) if name in EVENT_NAMES else name


def shown_detail(entry: TimelineEntry) -> str:
    """An entry's detail in the chosen language: read back with its English template, said
    with the translated one (the values — nodes, links, groups, Heartbeat's words — as they
    are). English, or a detail no template made: as it is."""
    if language() is None:
        return entry.detail
    for template, regex in _templates().get(entry.event, ()):
        match = regex.fullmatch(entry.detail)
        if match is not None:
            return translate(template).format(**match.groupdict())
    return entry.detail


@cache
def _templates() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """Event name -> (its detail templates that say something, each as a regex reading the
    values back)."""
    found: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    made = [(name, detail) for name, _, _, detail in RULES] + list(_HANDLERS_DETAILS)
    for name, template in made:
        parts = list(string.Formatter().parse(template))
        if all(not literal for literal, *_ in parts):
            continue  # a placeholder alone: the log's own words
        regex, seen = "", set()
        for literal, field, _, _ in parts:
            regex += re.escape(literal)
            if field is not None:
                regex += f"(?P={field})" if field in seen else f"(?P<{field}>.*?)"
                seen.add(field)
        found.setdefault(name, []).append((template, re.compile(regex, re.DOTALL)))
    return found

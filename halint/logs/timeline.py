"""The cluster's story: starts, refusals, links, nodes, takeovers and releases of each group."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
# the timeline (the handlers and skew.py read the peer off their first word); each entry keeps
# the template and the values it was said with, and shown_detail says it again with the
# translated template. A template that is only a placeholder (`{what}`: Heartbeat's own words)
# is shown as the log has it.
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
        # right after "is dead": the node held nothing then (a stop, a standby, an idle backup)
        (
            "held-nothing",
            "Dead node",
            _between(heartbeat_says("HL702", "Dead node", _FILLED), r"(?P<peer>\S+)"),
            N_("{peer} held no resources"),
        ),
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
# The templates that are only placeholders: the log's words, the same in every language.
_OWN_WORDS = frozenset(detail for _, _, _, detail in RULES if re.fullmatch(r"(?:\{\w+\})+", detail))
# The details the handlers give an entry in place of its own (halint/logs/handlers/nodes.py).
PLANNED_STOP = N_("{peer} stopped as planned (shutdown notice at {time})")
NEVER_HEARD = N_("{peer} declared dead, never heard since {node} started")
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
    "held-nothing": N_("held-nothing"),
    "takeover": N_("takeover"),
    "acquire": N_("acquire"),
    "release": N_("release"),
    "failback": N_("failback"),
    "standby": N_("standby"),
    "split-brain": N_("split-brain"),
    "partition-end": N_("partition-end"),
    "restart": N_("restart"),
}


# A detail's template and the values that fill it: what shown_detail says again in the chosen
# language. None where the detail is the log's own words.
Said = tuple[str, tuple[tuple[str, str], ...]] | None


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
    said: Said = None
    logged: str = ""  # the time as the node logged it, where the timeline's is corrected (skew)

    def say(self, template: str, **values: str) -> None:
        """The entry's detail is now `template` with these values (a handler's own words)."""
        self.detail = template.format(**values)
        self.said = template, tuple(values.items())


def timeline_hit(index: int, values: dict[str, str]) -> tuple[str, str, str | None, Said]:
    """(event name, detail, resource group, what the detail was said with) of a message that
    matched TIMELINE_RULES[index] with these groups: what the entry says, whatever line it was
    read from."""
    name, _, _, template = RULES[index]
    group = values.get("group") if name in GROUP_EVENTS else None
    said = None if template in _OWN_WORDS else (template, tuple(values.items()))
    return name, template.format(**values).strip(), group, said


def entry_for(event: Event, name: str, detail: str, group: str | None, said: Said) -> TimelineEntry:
    """The timeline entry of an event that is a timeline event (see timeline_hit)."""
    return TimelineEntry(
        event.time, event.node, name, detail, event.path, event.line, group, event.text, said
    )


def redacted(entry: TimelineEntry) -> TimelineEntry:
    """The entry with its line trimmed and any key material in it masked."""
    entry.text = redact_log_line(entry.text.strip()[:300])
    return entry


def shown_event(name: str) -> str:
    """An event's name as the text report shows it, in the chosen language."""
    return translate(EVENT_NAMES[name]) if name in EVENT_NAMES else name


def shown_detail(entry: TimelineEntry) -> str:
    """An entry's detail in the chosen language: its template translated, filled with the same
    values (nodes, links, groups, Heartbeat's words). English, a detail that is the log's own
    words, or a translation that does not fit the values: the English detail."""
    if language() is None or entry.said is None:
        return entry.detail
    template, values = entry.said
    try:
        return translate(template).format(**dict(values)).strip()
    except (KeyError, IndexError, ValueError):  # a translation naming a value there is not
        return entry.detail

"""HL702 node-dead and HL712 node-never-heard: what a "node X: is dead" line means depends on
what this node heard of X before it.

- X announced its shutdown and nothing was heard of it since: a planned stop (a timeline
  event, no diagnosis).
- Nothing was ever heard of X since this node started: X never came up, or cannot be heard
  (HL712) — the first start of a cluster, a refused start, or heartbeats that do not arrive.
- Otherwise X was heard and then went silent: a crash, a cut-off, a stall (HL702).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.i18n import _
from halint.logs.handlers import LogRule, log_rule
from halint.logs.timeline import NEVER_HEARD, PLANNED_STOP, shown_detail, shown_event
from halint.rulemeta import heartbeat_says

if TYPE_CHECKING:
    from halint.logs.diagnose import Diagnosis
    from halint.logs.reader import Event
    from halint.logs.signatures import CompiledPattern

NOTES = 2


@log_rule("HL702", "HL712")
class NodeDead(LogRule):
    timeline_events = frozenset({"held-nothing"})

    def timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        """ "Dead node X gave up resources.": X held nothing when it was declared dead, so
        nothing was taken over from it — as after a stop or a standby whose notice this log
        (or the --since window) does not hold, or of a backup that held nothing."""
        peer = detail.split(" ", 1)[0]
        diagnosis = self.diagnoser.diagnoses.get(("HL702", (peer,)))
        if diagnosis is None:
            return
        note = _(
            '{peer} held no resources when it was declared dead (Heartbeat: "{message}"): '
            "nothing had to be taken over from it — as after a stop or a standby whose notice "
            "is not in what was read, or of a backup that held nothing"
        ).format(peer=peer, message=heartbeat_says("HL702", "Dead node", peer))
        if note not in diagnosis.extra:
            diagnosis.extra.append(note)

    def matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> bool:
        if pattern.rule == "HL712":
            return True  # the same line, judged once below (under HL702's pattern)
        facts = self.diagnoser
        node, peer = event.node or "", values.get("peer", "")
        heard = facts.heard.get((node, peer))
        notice = facts.notices.get((node, peer))
        if notice is not None and (heard is None or heard <= notice):
            entry = facts.entry
            if entry is not None and entry.event == "node-dead":
                entry.event = "planned-stop"
                entry.say(PLANNED_STOP, peer=peer, time=notice[11:])
            return True
        started = facts.started.get(node)
        if started is not None and (heard is None or heard < started):
            diagnosis = facts.diagnosis(("HL712", (peer,)), {"peer": peer})
            diagnosis.add(event)
            if facts.entry is not None and facts.entry.event == "node-dead":
                facts.entry.say(NEVER_HEARD, peer=peer, node=node)
            return True
        return False

    def finish(self) -> None:
        for (rule, values), diagnosis in self.diagnoser.diagnoses.items():
            if rule in ("HL702", "HL712"):
                self._takeovers_after(diagnosis, values[0])

    def _takeovers_after(self, diagnosis: Diagnosis, peer: str) -> None:
        after = [
            t
            for t in self.diagnoser.timeline
            if t.event in ("takeover", "acquire")
            and t.time >= (diagnosis.first or "")
            and t.node != peer
        ]
        for entry in after[:NOTES]:
            who = " ".join(part for part in (entry.time, entry.node or "") if part)
            event, detail = shown_event(entry.event), shown_detail(entry)
            diagnosis.extra.append(
                _("{who}: {event} {detail}").format(who=who, event=event, detail=detail)
                if who
                else _("{event} {detail}").format(event=event, detail=detail)
            )

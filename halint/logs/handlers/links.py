"""HL707 link-dead: a dead link, and whether another link to that node stayed up. A link that
dies after its node announced its shutdown is part of a planned stop, not a failure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.i18n import _
from halint.logs.handlers import LogRule, log_rule

if TYPE_CHECKING:
    from halint.logs.diagnose import Diagnoser
    from halint.logs.reader import Event
    from halint.logs.signatures import CompiledPattern


@log_rule("HL707")
class LinkDead(LogRule):
    timeline_events = frozenset({"start", "stopped", "refused-start", "link-up", "link-dead"})

    def __init__(self, diagnoser: Diagnoser) -> None:
        super().__init__(diagnoser)
        self.links: dict[tuple[str | None, str], set[str]] = {}
        # the diagnosis a dead link counts towards -> (the peer, the links to it still up)
        self.notes: dict[tuple[str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}

    def matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> bool:
        facts = self.diagnoser
        node, peer = event.node or "", values.get("peer", "")
        notice = facts.notices.get((node, peer))
        heard = facts.heard.get((node, peer))
        return notice is not None and (heard is None or heard <= notice)

    def timeline(self, event: Event, name: str, detail: str, group: str | None) -> None:
        if name in ("start", "stopped", "refused-start"):
            self.links = {k: v for k, v in self.links.items() if k[0] != event.node}
        elif name in ("link-up", "link-dead"):
            peer, _, iface = detail.partition(" via ")
            up = self.links.setdefault((event.node, peer), set())
            if name == "link-up":
                up.add(iface)
                return
            up.discard(iface)
            key = ("HL707", (peer, iface))
            if key not in self.notes:  # (the links up when it first died)
                self.notes[key] = (peer, tuple(sorted(up)))

    def finish(self) -> None:
        for key, (peer, up) in self.notes.items():
            if key in self.diagnoser.diagnoses:
                note = (
                    _("another link to {peer} ({links}) stayed up").format(
                        peer=peer, links=", ".join(up)
                    )
                    if up
                    else _("no other link to {peer} was up").format(peer=peer)
                )
                self.diagnoser.diagnoses[key].extra.append(note)

"""HL701 startup-refused: the refusal and the error line before it that explains it — also
when the paste ends before the refusal, or holds the explaining line alone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from halint.i18n import N_, _
from halint.logs.handlers import LogRule, log_rule
from halint.rulemeta import heartbeat_says

if TYPE_CHECKING:
    from halint.catalogue import Reason
    from halint.logs.reader import Event
    from halint.logs.signatures import CompiledPattern

MAX_EVIDENCE = 4
# Heartbeat's verdict on a refused start, as the catalogue quotes it (rules/HL701.toml)
VERDICT = heartbeat_says("HL701", "Configuration error")
_GENERIC_ERRORS = (
    "Authentication configuration error",
    heartbeat_says("HL701", "Heartbeat not started").split(":", 1)[0],
    VERDICT.rstrip("."),
    "Cannot lock ourselves",
)
NO_REASON = N_("no reason was logged")


def unclosed() -> str:
    """The note of a refusal whose verdict the log does not hold."""
    return _(
        'the log ends before Heartbeat\'s own verdict ("{verdict}") — this error alone stops '
        "the start"
    ).format(verdict=VERDICT)


def explaining_line(
    messages: Sequence[str], reasons: Sequence[Reason]
) -> tuple[int, Reason] | None:
    """Which of the error messages before a refused start explains it, and what it means: the
    first with a reason; the generic "not started" only when no other has one, and a weak one
    (logged on starts that go on too) only when not even that. (The oracle tests hold this
    choice to what the real daemon logs.)"""
    best: tuple[int, int, Reason] | None = None
    for index, message in enumerate(messages):
        generic = message.startswith(_GENERIC_ERRORS)
        for item in reasons:
            if item.needle in message and (
                not generic or item.needle.startswith("Heartbeat not started")
            ):
                rank = 3 if item.weak else 2 if generic else 0
                if best is None or rank < best[0]:
                    best = (rank, index, item)
                break
        if best is not None and best[0] == 0:
            break
    return (best[1], best[2]) if best else None


@cache
def _reason_regex(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def reason_fix(reason: Reason, message: str) -> str | None:
    """The reason's fix with the path, value or node its line names."""
    from halint.logs.diagnose import filled

    if not reason.regex:
        return reason.fix
    match = _reason_regex(reason.regex).search(message)
    return filled(reason.fix, match.groupdict("")) if match else None


@log_rule("HL701")
class StartupRefused(LogRule):
    def matched(
        self,
        pattern: CompiledPattern,
        values: dict[str, str],
        key: tuple[str, tuple[str, ...]],
        figure: int | None,
        event: Event,
    ) -> bool:
        buffered = list(self.diagnoser.recent_errors.pop(event.path, ()))
        self._diagnose(event, buffered, closed=True)
        return True

    def _diagnose(self, event: Event, buffered: list[Event], closed: bool) -> None:
        from halint.logs.diagnose import Evidence

        doc = self.diagnoser.sigs.docs["HL701"]
        found = explaining_line([e.message for e in buffered], doc.reasons)
        reason_event, reason = (buffered[found[0]], found[1]) if found else (None, None)
        if not closed and (reason is None or reason.weak):
            return
        from halint.logs.diagnose import shown

        label = reason.means if reason else NO_REASON
        node = (reason_event or event).node or ""
        diagnosis = self.diagnoser.diagnosis(
            ("HL701", (node, label)),
            {"reason": shown(label)},
            related=list(reason.rules) if reason else [],
        )
        if reason is not None and reason_event is not None and diagnosis.fix_text is None:
            diagnosis.fix_text = reason_fix(reason, reason_event.message)
        if not closed:
            note = unclosed()
            if note not in diagnosis.extra:
                diagnosis.extra.append(note)
        if reason_event is not None:
            diagnosis.add(event, Evidence.of(reason_event))
            if closed and len(diagnosis.evidence) < MAX_EVIDENCE:
                diagnosis.evidence.append(Evidence.of(event))
        else:
            diagnosis.add(event)

    def finish(self) -> None:
        """Error lines left without their verdict (a paste that stops before it, or the
        explaining line alone): explained all the same, when they refuse a start."""
        for errors in self.diagnoser.recent_errors.values():
            buffered = list(errors)
            if buffered:
                self._diagnose(buffered[-1], buffered, closed=False)

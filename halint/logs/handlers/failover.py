"""HL711 failover-timeline: every acquisition of a group last held by another node."""

from __future__ import annotations

from halint.logs.handlers import LogRule, log_rule


@log_rule("HL711")
class Failover(LogRule):
    def finish(self) -> None:
        from halint.logs.diagnose import Diagnosis, Evidence

        facts = self.diagnoser
        last: dict[str, str | None] = {}
        changes = []
        for entry in facts.timeline:
            if entry.event != "acquire" or not entry.group:
                continue
            before = last.get(entry.group)
            if before is not None and before != entry.node:
                changes.append(entry)
            last[entry.group] = entry.node
        if not changes:
            return  # a lone "Taking over" line keeps its own count
        facts.diagnoses = {k: v for k, v in facts.diagnoses.items() if k[0] != "HL711"}
        diagnosis = Diagnosis("HL711", {}, related_rules=[])
        for entry in changes:  # (in one clock's order, at the times the nodes logged)
            when = entry.logged or entry.time
            diagnosis.add_evidence(
                when, entry.node, Evidence(entry.path, entry.line, when, entry.node, entry.text)
            )
        facts.diagnoses[("HL711", ())] = diagnosis

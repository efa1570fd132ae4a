"""Select the rules, run them over the models and host facts, and return sorted findings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from halint.checks import LIVE_RULES, Hit, NodeContext, load_all
from halint.findings import Finding, Related
from halint.rulemeta import rule_meta

if TYPE_CHECKING:
    from halint.hostfacts import HostFacts
    from halint.node import LoadedNode


@dataclass(slots=True)
class Selection:
    """Which rules run: IDs or prefixes (`HL6` = every live rule)."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)

    def wants(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(s) for s in self.select):
            return False
        return not any(rule_id.startswith(i) for i in self.ignore)


def to_finding(rule_id: str, hit: Hit, node_label: str | None) -> Finding:
    name, severity, blocks = rule_meta(rule_id)
    default_blocks = blocks if isinstance(blocks, bool) else False
    span = hit.span
    return Finding.model_construct(
        rule=rule_id,
        name=name,
        severity=hit.severity or severity,  # type: ignore[arg-type]
        blocks_start=default_blocks if hit.blocks_start is None else hit.blocks_start,
        path=span.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        node=node_label,
        message=hit.message,
        fix=hit.fix,
        related=[
            Related.model_construct(path=s.path, line=s.line, column=s.column, message=m)
            for s, m in hit.related
        ],
    )


def _node_findings(
    loaded: LoadedNode, host: HostFacts | None, selection: Selection
) -> list[Finding]:
    node = loaded.node
    ctx = NodeContext(node=node, host=host)
    selected_paths = {f.path for f in node.files.values() if f.selected}
    label = node.name or node.directory
    findings: list[Finding] = []
    for rule_id, check in sorted(load_all().items()):
        if not selection.wants(rule_id) or (host is None and rule_id in LIVE_RULES):
            continue
        for hit in check(ctx):
            if hit.span.path in selected_paths:
                findings.append(to_finding(rule_id, hit, label))
    return findings


def check_node(
    loaded: LoadedNode, host: HostFacts | None, selection: Selection | None = None
) -> list[Finding]:
    """One node's findings, suppressions applied, in file and line order."""
    selection = selection or Selection()
    findings = _node_findings(loaded, host, selection)
    return sort_findings(_suppress(findings, [loaded], selection))


def check_cluster(
    nodes: list[LoadedNode], host: HostFacts | None, selection: Selection | None = None
) -> list[Finding]:
    """Every node's own findings, then the cross-node rules over all of them.

    Node names must already be set (halint.cluster.identify). The live rules run only for the
    node that is this host (its name is the host's node name); the others have no host facts.
    """
    from halint.checks.cluster_rules import CLUSTER_CHECKS, ClusterContext

    selection = selection or Selection()
    findings: list[Finding] = []
    for loaded in nodes:
        name = (loaded.node.name or "").lower()
        is_here = host is not None and name == host.node_name.lower()
        findings.extend(_node_findings(loaded, host if is_here else None, selection))
    ctx = ClusterContext(nodes=[loaded.node for loaded in nodes])
    owner_of = {
        f.path: ctx.label(loaded.node) for loaded in nodes for f in loaded.node.files.values()
    }
    for rule_id, check in sorted(CLUSTER_CHECKS.items()):
        if not selection.wants(rule_id):
            continue
        for hit in check(ctx):
            findings.append(to_finding(rule_id, hit, owner_of.get(hit.span.path)))
    return sort_findings(_suppress(findings, nodes, selection))


def _suppress(
    findings: list[Finding], nodes: list[LoadedNode], selection: Selection
) -> list[Finding]:
    """Drop what `# halint: ignore[...]` comments cover; report the ones that cover nothing."""
    from halint import suppressions
    from halint.models import Span

    found: list[suppressions.Suppression] = []
    for loaded in nodes:
        selected = {f.path for f in loaded.node.files.values() if f.selected}
        for source in loaded.sources.values():
            if source.readable and source.path in selected:
                found.extend(suppressions.parse(source.path, source.kind, source.lines))
    if not found:
        return findings
    kept = suppressions.apply(findings, found)
    if not selection.wants("HL404"):
        return kept
    label_of = {
        f.path: loaded.node.name or loaded.node.directory
        for loaded in nodes
        for f in loaded.node.files.values()
    }
    for suppression in found:
        idle = [r for r in suppression.rules if r not in suppression.used and selection.wants(r)]
        problems = [f"`{r}` is not a rule ID" for r in suppression.bad]
        if idle:
            where = (
                "in this file"
                if suppression.whole_file
                else (
                    f"on line {suppression.first}"
                    if suppression.first
                    else "(no directive follows)"
                )
            )
            problems.append(f"nothing {where} raises {', '.join(idle)}")
        if not suppression.rules and not suppression.bad:
            problems.append("it names no rule")
        if not problems:
            continue
        span = Span.model_construct(
            path=suppression.path, line=suppression.line, column=suppression.column
        )
        hit = Hit(
            span=span,
            message="this suppression suppresses nothing: " + "; ".join(problems),
            fix="delete the comment, or correct the rule ID",
        )
        kept.append(to_finding("HL404", hit, label_of.get(suppression.path)))
    return kept


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)

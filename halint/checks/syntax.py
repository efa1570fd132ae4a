"""HL100–HL103, HL107: what the ha.cf reader met while building its model."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check


def _hits(ctx: NodeContext, rule: str) -> Iterator[Hit]:
    hacf = ctx.node.hacf
    for problem in hacf.problems if hacf is not None else []:
        if problem.rule == rule:
            yield Hit(
                span=problem.span,
                message=problem.message,
                fix=problem.fix,
                blocks_start=problem.blocks_start,
                severity=problem.severity,
            )


def _register(rule: str) -> None:
    node_check(rule)(lambda ctx: _hits(ctx, rule))


for _rule in ("HL100", "HL101", "HL102", "HL103", "HL107"):
    _register(_rule)

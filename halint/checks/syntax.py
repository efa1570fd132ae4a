"""HL100–HL103, HL107, HL200, HL300: what the readers met while building the models."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.models import Problem


def _problems(ctx: NodeContext) -> Iterator[Problem]:
    node = ctx.node
    for model in (node.hacf, node.authkeys, node.haresources):
        if model is not None:
            yield from model.problems


def _hits(ctx: NodeContext, rule: str) -> Iterator[Hit]:
    for problem in _problems(ctx):
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


for _rule in ("HL100", "HL101", "HL102", "HL103", "HL107", "HL200", "HL300"):
    _register(_rule)

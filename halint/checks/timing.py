"""HL110–HL113: keepalive, deadtime, warntime and initdead against each other."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.edits import Edit
from halint.i18n import _
from halint.models import HaCf, Span
from halint.rulemeta import heartbeat_says, quoted
from halint.timing import meant_times, timing_of
from halint.values import format_ms as fmt
from halint.values import seconds_meant


def _anchor(hacf: HaCf, *names: str) -> Span:
    for name in names:
        setting = hacf.setting(name)
        if setting is not None:
            return setting.span
    first = hacf.directives[0].span if hacf.directives else None
    return first or Span.model_construct(path=hacf.path, line=1, column=1)


def _hacf(ctx: NodeContext) -> HaCf | None:
    hacf = ctx.node.hacf
    return hacf if hacf is not None and hacf.directives else None


@node_check("HL110")
def initdead_too_short(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    # `deadtime 100s` is refused (HL102) and meant as `deadtime 100`: judged as HL102's fix
    # writes it, so that this fix does not undo that one (initdead 60 under deadtime 100)
    meant = meant_times(hacf) if hacf.unparsed else {}
    t = timing_of(hacf, meant)
    span = _anchor(hacf, "initdead", "deadtime")
    if "initdead" in meant:
        span = meant["initdead"][1].span
    once = "".join(
        _(" (with `{directive} {written}` written `{directive} {number}`, HL102)").format(
            directive=name, written=word.text, number=seconds_meant(word.text)
        )
        for name, (_ms, word) in sorted(meant.items())
        if name in ("initdead", "deadtime")
    )
    how = (
        ""
        if t.initdead_given
        else _(" (initdead is not set: Heartbeat uses {value})").format(value=fmt(t.initdead))
    )
    wanted = _seconds_line("initdead", max(2 * t.deadtime, 10000))
    fix = _("write `{line}`").format(line=wanted)
    edits = _initdead_edits(hacf, wanted)
    if t.initdead < t.deadtime:
        yield Hit(
            span=span,
            message=_(
                "initdead {initdead} is shorter than deadtime {deadtime}{once}: Heartbeat "
                "refuses to start."
            ).format(initdead=fmt(t.initdead), deadtime=fmt(t.deadtime), once=once)
            + quoted("HL110", "Initial dead time [%ld] is smaller", t.initdead, t.deadtime),
            fix=fix,
            blocks_start=True,
            severity="error",
            edits=edits,
        )
        return
    if t.initdead < 2 * t.deadtime or t.initdead < 10000:
        reasons = []
        if t.initdead < 2 * t.deadtime:
            reasons.append(_("under twice deadtime ({value})").format(value=fmt(2 * t.deadtime)))
        if t.initdead < 10000:
            reasons.append(
                _('under 10 s — Heartbeat itself warns "{message}"').format(
                    message=heartbeat_says("HL110", "Initial dead time [%ld ms]", t.initdead)
                )
            )
        yield Hit(
            span=span,
            message=_(
                "initdead {initdead}{how} is {reasons}: after a reboot the network may come up "
                "too slowly and the peer is declared dead, which starts a needless takeover"
            ).format(initdead=fmt(t.initdead), how=how or once, reasons=_(" and ").join(reasons)),
            fix=fix,
            blocks_start=False,
            edits=edits,
        )


def _initdead_edits(hacf: HaCf, wanted: str) -> list[Edit]:
    """The initdead value rewritten; only for a line that sets initdead alone (`initdead 40`,
    not `initdead 40,60` or an unset initdead)."""
    setting = hacf.initdead
    if setting is None:
        return []
    lines = [d for d in hacf.directives if d.name.text == "initdead"]
    if len(lines) != 1 or len(lines[0].args) != 1:
        return []
    span = setting.span
    return [Edit.replace(span.path, span.line, span.column, setting.raw, wanted.split()[1])]


def _seconds_line(name: str, ms: int) -> str:
    return f"{name} {ms // 1000}" if ms % 1000 == 0 else f"{name} {ms}ms"


@node_check("HL111")
def deadtime_too_short(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    t = timing_of(hacf)
    if t.deadtime <= 2 * t.keepalive:
        yield Hit(
            span=_anchor(hacf, "deadtime", "keepalive"),
            message=_(
                "deadtime {deadtime} is not more than twice keepalive ({keepalive}): Heartbeat "
                "refuses to start."
            ).format(deadtime=fmt(t.deadtime), keepalive=fmt(t.keepalive))
            + quoted("HL111", "Dead time", t.deadtime, t.keepalive),
            fix=_("write `{line}` (several keepalives)").format(
                line=_seconds_line("deadtime", max(4 * t.keepalive, 10000))
            ),
        )
    if hacf.deadping is not None and t.deadping <= 2 * t.keepalive:
        yield Hit(
            span=hacf.deadping.span,
            message=_(
                "deadping {deadping} is not more than twice keepalive ({keepalive}): Heartbeat "
                "refuses to start."
            ).format(deadping=fmt(t.deadping), keepalive=fmt(t.keepalive))
            + quoted("HL111", "Ping dead time", t.deadping, t.keepalive),
            fix=_("write `{line}`").format(
                line=_seconds_line("deadping", max(4 * t.keepalive, 10000))
            ),
        )


@node_check("HL112")
def warntime_out_of_order(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.warntime is None:
        return
    t = timing_of(hacf)
    if t.keepalive < t.warntime < t.deadtime:
        return
    if t.warntime >= t.deadtime:
        why = _(
            "warntime {warntime} is not below deadtime {deadtime}: a late heartbeat is never "
            "warned about before the node is declared dead (Heartbeat does not check this)"
        ).format(warntime=fmt(t.warntime), deadtime=fmt(t.deadtime))
    else:
        why = _(
            'warntime {warntime} is not above keepalive {keepalive}: every heartbeat is "late" '
            "and ha-log fills with warnings (Heartbeat does not check this)"
        ).format(warntime=fmt(t.warntime), keepalive=fmt(t.keepalive))
    middle = (t.keepalive + t.deadtime) // 2
    yield Hit(
        span=hacf.warntime.span,
        message=why,
        fix=_("write `{line}`, between keepalive and deadtime").format(
            line=_seconds_line("warntime", middle)
        ),
    )


@node_check("HL113")
def timing_aggressive(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    t = timing_of(hacf)
    if t.deadtime < 10000 and t.deadtime > 2 * t.keepalive:
        yield Hit(
            span=_anchor(hacf, "deadtime", "keepalive"),
            message=_(
                "deadtime {deadtime} is short: a node busy for a few seconds (swap, a backup, a "
                "VM pause) or a switch that blinks is declared dead and the resources move for "
                "nothing"
            ).format(deadtime=fmt(t.deadtime)),
            fix=_(
                "unless failover within seconds is worth false alarms, use `deadtime 10` to `30`"
            ),
        )

"""HL104–HL106, HL120–HL160: ha.cf read as a whole (duplicates, nodes, media, helpers)."""

from __future__ import annotations

from collections.abc import Iterator

from halint.checks import Hit, NodeContext, node_check
from halint.directives import OPTIONS
from halint.edits import Edit
from halint.i18n import N_, _, translate
from halint.models import Directive, HaCf, Severity, Span, Word
from halint.regex import compiled
from halint.rulemeta import also_quoted, heartbeat_says, quoted
from halint.values import atoi, is_placeholder

# Options the daemon refuses to see twice, and the start of what it then says (HL104's TOML).
FATAL_REPEATS = {
    "watchdog": "heartbeat: Watchdog",
    "baud": "heartbeat: Baudrate",
    "pacemaker": "pacemaker/crm",
}
PACEMAKER_CLIENTS = ("cib", "crmd", "stonithd", "stonith-ng", "attrd", "pingd")
DAEMON_USER = "hacluster"
DEFAULT_UDPPORT = 694


def _hacf(ctx: NodeContext) -> HaCf | None:
    return ctx.node.hacf


def _option_name(directive: Directive) -> str:
    return "pacemaker" if directive.name.text == "crm" else directive.name.text


def _first_span(hacf: HaCf) -> Span:
    if hacf.directives:
        return hacf.directives[0].span
    return Span.model_construct(path=hacf.path, line=1, column=1)


@node_check("HL104")
def duplicate_directive(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    seen: dict[str, Directive] = {}
    for directive in hacf.directives:
        name = _option_name(directive)
        if not directive.known or name not in OPTIONS or name in ("node", "env"):
            continue
        values = _values(directive)
        if not values:
            continue
        yield from _values_on_one_line(directive, name, values)
        first = seen.get(name)
        if first is None:
            seen[name] = directive
            continue
        if name in FATAL_REPEATS:
            yield Hit(
                span=directive.name.span,
                message=_(
                    "`{name}` may be given only once (first on line {line}): Heartbeat refuses "
                    "to start."
                ).format(name=name, line=first.span.line)
                + quoted("HL104", FATAL_REPEATS[name]),
                fix=_("keep one `{name}` line").format(name=name),
                blocks_start=True,
                severity="error",
                related=[(first.span, _("first `{name}`").format(name=name))],
            )
            continue
        yield Hit(
            span=directive.name.span,
            message=_(
                "`{name}` is set again (first on line {line}); Heartbeat silently uses the last "
                "value, `{value}`"
            ).format(name=name, line=first.span.line, value=values[-1].text),
            fix=_("keep one `{name}` line").format(name=name),
            blocks_start=False,
            related=[(first.span, _("earlier `{name}`, ignored").format(name=name))],
        )
    clients: dict[str, Word] = {}
    for auth in hacf.apiauths:
        client = auth.client.text
        if client in clients or (hacf.crm_enabled and client in PACEMAKER_CLIENTS):
            where = (
                _("line {line}").format(line=clients[client].span.line)
                if client in clients
                else _("Pacemaker mode's own entry")
            )
            yield Hit(
                span=auth.client.span,
                message=_(
                    "a second `apiauth` for client `{client}` (first: {where}): Heartbeat "
                    "refuses to start."
                ).format(client=client, where=where)
                + quoted("HL104", "Duplicate apiauth", client),
                fix=_("merge the `apiauth {client}` lines into one").format(client=client),
                blocks_start=True,
                severity="error",
            )
        clients.setdefault(client, auth.client)


def _values(directive: Directive) -> list[Word]:
    """The values of an option as its admin meant them: the words before a note (`keepalive
    2 // seconds`), which HL123 speaks of and HL104 does not repeat."""
    start = note_start(directive)
    return directive.args if start is None else directive.args[:start]


def _values_on_one_line(directive: Directive, name: str, words: list[Word]) -> Iterator[Hit]:
    """Heartbeat splits an option's value on blanks and commas and applies each part in turn:
    `keepalive 1,5` is keepalive 5, and `crm off off` sets pacemaker twice."""
    if len(words) < 2:
        return
    values = ", ".join(f"`{a.text}`" for a in words)
    if name in FATAL_REPEATS:
        yield Hit(
            span=directive.args[1].span,
            message=_(
                "`{name}` has {count} values ({values}): Heartbeat applies each in turn, so it is "
                "set more than once and Heartbeat refuses to start."
            ).format(name=directive.name.text, count=len(words), values=values)
            + quoted("HL104", FATAL_REPEATS[name]),
            fix=_("keep one value: `{line}`").format(
                line=f"{directive.name.text} {words[-1].text}"
            ),
            blocks_start=True,
            severity="error",
        )
        return
    yield Hit(
        span=directive.args[1].span,
        message=_(
            "`{name}` has {count} values ({values}): Heartbeat applies each in turn and silently "
            "keeps the last, `{last}`"
        ).format(
            name=directive.name.text,
            count=len(words),
            values=values,
            last=words[-1].text,
        ),
        fix=_("keep one value: `{line}`").format(line=f"{directive.name.text} {words[-1].text}"),
        blocks_start=False,
    )


@node_check("HL105")
def deprecated_directive(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    for directive in hacf.directives:
        name = directive.name.text
        if name == "nice_failback":
            conflict = (
                _(" It also conflicts with `auto_failback`, which is set too.")
                if hacf.auto_failback is not None
                else ""
            )
            yield Hit(
                span=directive.name.span,
                message=_(
                    '`nice_failback` is obsolete and its value is ignored: Heartbeat logs "{said}" '
                    "and falls back to legacy behaviour.{conflict}"
                ).format(said=heartbeat_says("HL105", "nice_failback"), conflict=conflict),
                fix=_(
                    "replace it with `auto_failback off` (nice_failback on) or `auto_failback on`"
                ),
                edits=_nice_failback_edits(hacf, directive),
            )
        elif name == "udp":
            span = directive.name.span
            yield Hit(
                span=span,
                message=_("`udp` is the old name of `bcast`.") + quoted("HL105", "WARNING"),
                fix=_("write `{line}`").format(
                    line="bcast " + " ".join(a.text for a in directive.args)
                ),
                edits=[Edit.replace(span.path, span.line, span.column, "udp", "bcast")],
            )
        elif name == "hopfudge" and not any(m.kind == "serial" for m in hacf.media):
            yield Hit(
                span=directive.name.span,
                message=_("`hopfudge` only matters for serial rings; there is no `serial` medium"),
                fix=_("delete the line"),
            )
        elif name in ("ping", "ping_group") and hacf.crm_enabled:
            yield Hit(
                span=directive.name.span,
                message=_(
                    "`{name}` with Pacemaker (`crm on`): ping nodes only feed ipfail, which "
                    "Pacemaker mode does not use; Pacemaker's own ping resource agent measures "
                    "connectivity"
                ).format(name=name),
                fix=_("use a Pacemaker ping resource and remove the line"),
            )


def _nice_failback_edits(hacf: HaCf, directive: Directive) -> list[Edit]:
    """`nice_failback on` is `auto_failback off` (and off is on) — when nothing else sets
    auto_failback and the line says one thing."""
    from halint.values import parse_bool

    if hacf.auto_failback is not None or len(directive.args) != 1:
        return []
    value = parse_bool(directive.args[0].text)
    if value is None or sum(d.name.text == "nice_failback" for d in hacf.directives) != 1:
        return []
    name, arg = directive.name, directive.args[0]
    return [
        Edit.replace(name.span.path, name.span.line, name.span.column, name.text, "auto_failback"),
        Edit.replace(
            arg.span.path, arg.span.line, arg.span.column, arg.text, "off" if value else "on"
        ),
    ]


@node_check("HL106")
def setting_after_media(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    final_port = hacf.udpport.value if hacf.udpport else None
    reported: set[str] = set()
    for medium in hacf.media:
        if medium.kind not in ("bcast", "ucast") or medium.kind in reported:
            continue
        reported.add(medium.kind)
        used = medium.udpport if medium.udpport is not None else DEFAULT_UDPPORT
        if final_port is not None and used != final_port:
            kept = medium.udpport if medium.udpport is not None else _("the default (694)")
            yield Hit(
                span=hacf.udpport.span,  # type: ignore[union-attr]
                message=_(
                    "`udpport {port}` comes after the first `{medium}` line (line {line}), which "
                    "took its port when it was read: {medium} keeps using {kept}"
                ).format(port=final_port, medium=medium.kind, line=medium.span.line, kept=kept),
                fix=_("move `udpport` above every bcast and ucast line"),
                related=[
                    (
                        medium.span,
                        _("this {medium} uses port {kept}").format(medium=medium.kind, kept=kept),
                    )
                ],
            )
    # The line as written, whether or not its value is one Heartbeat takes (an invalid one is
    # also refused: HL102).
    baud = next((d for d in reversed(hacf.directives) if d.name.text == "baud" and d.args), None)
    serial = next((m for m in hacf.media if m.kind == "serial"), None)
    if baud is not None and serial is not None and baud.span.line > serial.span.line:
        yield Hit(
            span=baud.args[-1].span,
            message=_(
                "`baud` comes after the `serial` line (line {line}): the serial medium keeps "
                "19200 baud"
            ).format(line=serial.span.line),
            fix=_("move `baud` above the `serial` line"),
            related=[(serial.span, _("this serial link runs at 19200"))],
        )


@node_check("HL120")
def no_nodes(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.nodes or hacf.ping_nodes or hacf.ping_groups:
        return
    if hacf.autojoin is not None and hacf.autojoin.value == "any":
        return
    yield Hit(
        span=_first_span(hacf),
        message=_("no `node` directive: Heartbeat refuses to start.") + quoted("HL120", "no nodes"),
        fix=_("add one `node` line per cluster member, named as `uname -n` prints it"),
    )


@node_check("HL121")
def duplicate_node(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    seen: dict[str, Word] = {}
    for node in hacf.nodes:
        key = node.text.lower()
        if key in seen:
            yield Hit(
                span=node.span,
                message=_(
                    "node `{node}` is declared twice (first on line {line}); Heartbeat does not "
                    "notice, the second entry never hears a heartbeat and is declared dead after "
                    "initdead, which sets off a takeover"
                ).format(node=node.text, line=seen[key].span.line),
                fix=_("declare each node once"),
                related=[(seen[key].span, _("first declaration"))],
            )
        else:
            seen[key] = node


UCAST_TARGET = "ucast target"


def _placeholder_words(ctx: NodeContext) -> Iterator[tuple[Word, str, str]]:
    """Each word a placeholder may stand in, what it is (UCAST_TARGET, or its role as a
    message says it, marked for translation: it is translated only for a finding) and the
    medium's kind the role may name."""
    hacf, haresources = ctx.node.hacf, ctx.node.haresources
    if hacf is not None:
        for node in hacf.nodes:
            yield node, N_("node name"), ""
        for medium in hacf.media:
            if medium.target is not None and medium.kind in ("ucast", "ucast6"):
                yield medium.target, UCAST_TARGET, medium.kind
            for word in (medium.interface, medium.target, *medium.devices):
                if word is not None:
                    yield word, N_("{kind} value"), medium.kind
        for ping in hacf.ping_nodes:
            yield ping, N_("ping node"), ""
    if haresources is not None:
        for group in haresources.groups:
            yield group.owner, N_("preferred node"), ""
            for resource in group.resources:
                for arg in resource.args:
                    for part in compiled(r"[/:]").split(arg.text):
                        if is_placeholder(part):
                            word = Word.model_construct(text=part, span=arg.span)
                            yield word, N_("resource value"), ""
                            break


@node_check("HL122")
def placeholder_value(ctx: NodeContext) -> Iterator[Hit]:
    seen: set[tuple[str, int, int]] = set()
    for word, role, kind in _placeholder_words(ctx):
        key = (word.span.path, word.span.line, word.span.column)
        if key in seen or not is_placeholder(word.text):
            continue
        seen.add(key)
        if role == UCAST_TARGET:
            # Observed: the daemon cannot resolve it and refuses to start.
            yield Hit(
                span=word.span,
                message=_(
                    "`{word}` looks like a placeholder left from a template or tutorial (the "
                    "ucast target), not the peer's address: Heartbeat cannot resolve it and "
                    "refuses to start."
                ).format(word=word.text)
                + quoted("HL122", "glib: ucast: cannot resolve"),
                fix=_("write the other node's address here, e.g. `ucast eth0 192.168.1.2`"),
                severity="error",
                blocks_start=True,
            )
            continue
        yield Hit(
            span=word.span,
            message=_(
                "`{word}` looks like a placeholder left from a template or tutorial ({role}), "
                "not a real value"
            ).format(word=word.text, role=translate(role).format(kind=kind)),
            fix=_("put the real value here (the host's `uname -n`, its interface, its address)"),
        )


NOTE_MARKERS = ("//", "/*", ";", "--")


def note_start(directive: Directive) -> int | None:
    """The index of the first argument that starts a note in another language's comment
    syntax (`// primary`), which ha.cf does not know: only # starts a comment."""
    for index, word in enumerate(directive.args):
        if index > 0 and word.text.startswith(NOTE_MARKERS):
            return index
    return None


@node_check("HL123")
def note_read_as_values(ctx: NodeContext) -> Iterator[Hit]:
    from halint.directives import LINE_MEDIA, TOKEN_MEDIA

    hacf = _hacf(ctx)
    if hacf is None:
        return
    for directive in hacf.directives:
        start = note_start(directive)
        name = directive.name.text
        if start is None or not directive.known:
            continue
        words = directive.args[start:]
        blocks = False
        severity: Severity = "error"
        if name == "node":
            effect = _(
                "{count} more node names: it waits for them, declares each dead after initdead "
                '("{message}") and runs a takeover for each'
            ).format(count=len(words), message=heartbeat_says("HL123", "node", words[0].text))
        elif name in OPTIONS:
            effect = _("more values of `{name}`, and refuses to start").format(name=name)
            blocks = True
        elif name in TOKEN_MEDIA:
            effect = _("more {name} devices and refuses to start (for bcast it crashes).").format(
                name=name
            ) + quoted("HL123", "Illegal", name, "...", words[0].text)
            blocks = True
        elif name in ("respawn", "failfast"):
            effect = _("arguments of the program, which it is started with")
            severity = "warning"
        elif name in LINE_MEDIA:
            effect = _("words after the medium's own, which it ignores (harmless, but misleading)")
            severity = "info"
        else:
            effect = _("more words of `{name}`").format(name=name)
            severity = "warning"
        first = words[0].span
        yield Hit(
            span=Span.model_construct(
                path=first.path,
                line=first.line,
                column=first.column,
                end_line=first.line,
                end_column=words[-1].span.end_column,
            ),
            message=_(
                "`{word}` starts a note, but only `#` starts a comment in ha.cf: Heartbeat reads "
                "{words} as {effect}"
            ).format(
                word=words[0].text, words=", ".join(f"`{w.text}`" for w in words), effect=effect
            ),
            fix=_(
                "write the note on its own line after `#`, or after `#` on this line "
                "(`{line}  # ...`)"
            ).format(line=f"{name} {' '.join(a.text for a in directive.args[:start])}"),
            blocks_start=blocks,
            severity=severity,
        )


@node_check("HL130")
def no_media(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.media or not hacf.directives:
        return
    fix = _("add e.g. `ucast eth0 <the peer's address>` (or `bcast eth0`)")
    if hacf.ping_nodes or hacf.ping_groups:
        # Observed: a ping node counts as a medium for the start-up check, not for the peer.
        yield Hit(
            span=_first_span(hacf),
            message=_(
                "no heartbeat medium (`bcast`, `mcast`, `ucast` or `serial`), only ping nodes: "
                "Heartbeat starts, but never hears the other node, so each node takes all "
                "resources."
            )
            + quoted("HL130", "send_to_all_media"),
            fix=fix,
            blocks_start=False,
        )
        return
    yield Hit(
        span=_first_span(hacf),
        message=_(
            "no heartbeat medium (`bcast`, `mcast`, `ucast` or `serial`): Heartbeat refuses to "
            "start."
        )
        + quoted("HL130", "No heartbeat media"),
        fix=fix,
        blocks_start=True,
    )


@node_check("HL131")
def single_medium(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or not hacf.media:
        return
    # `bcast eth0 eth1` (and `serial` with several ports) is one medium per word.
    paths = {
        word.text
        for m in hacf.media
        for word in (m.devices if m.kind in ("bcast", "serial") else [m.interface])
        if word is not None
    }
    if len(paths) == 1:
        (path,) = paths
        yield Hit(
            span=hacf.media[0].span,
            message=_(
                "every heartbeat goes over `{path}`: one cable, port or switch failure and each "
                "node believes the other is dead — both take the resources (split brain)"
            ).format(path=path),
            fix=_("add a second medium on another network (a second NIC, or a serial cable)"),
        )


def _mcast_number(word: Word | None, bits: int) -> tuple[int, int]:
    value, _rest = atoi(word.text if word else "")
    return value, value & ((1 << bits) - 1)


@node_check("HL132")
def mcast_invalid(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    import ipaddress

    for medium in hacf.media:
        if medium.kind != "mcast" or medium.group is None:
            continue
        iface = medium.interface.text if medium.interface else "?"
        try:
            group = ipaddress.IPv4Address(medium.group.text)
        except ValueError:
            group = None
        if group is None or not group.is_multicast:
            yield Hit(
                span=medium.group.span,
                message=_(
                    "`{group}` is not a multicast group (224.0.0.0–239.255.255.255): Heartbeat "
                    "refuses to start."
                ).format(group=medium.group.text)
                + quoted("HL132", "mcast [%s] bad addr", iface, medium.group.text),
                fix=_("use a group such as 239.0.0.1 (the same on every node)"),
            )
        for word, bits, low, high, label in (
            (medium.port, 16, 1, 65535, "port"),
            (medium.ttl, 8, 0, 4, "ttl"),
            (medium.loop, 8, 0, 1, "loop"),
        ):
            value, stored = _mcast_number(word, bits)
            if word is None:
                continue
            if not low <= stored <= high:
                yield Hit(
                    span=word.span,
                    message=_(
                        "mcast {field} `{value}` must be {low}–{high}: Heartbeat refuses to start."
                    ).format(field=label, value=word.text, low=low, high=high)
                    + quoted("HL132", f" mcast [%s] bad {label}", iface, stored),
                    fix=_("write a {field} from {low} to {high}").format(
                        field=label, low=low, high=high
                    ),
                )
            elif stored != value:
                yield Hit(
                    span=word.span,
                    message=_(
                        "mcast {field} `{value}` does not fit its {bits}-bit field: Heartbeat "
                        "stores {stored}"
                    ).format(field=label, value=word.text, bits=bits, stored=stored),
                    fix=_("write `{value}` if that is what you mean").format(value=stored),
                    blocks_start=False,
                )


@node_check("HL140")
def auto_failback_unset(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.crm_enabled or not hacf.directives:
        return
    if hacf.auto_failback is not None and hacf.auto_failback.value != "legacy":
        return
    if hacf.nice_failback is not None and hacf.auto_failback is None:
        return  # HL105 says what nice_failback does
    where = hacf.auto_failback.span if hacf.auto_failback else _first_span(hacf)
    said = (
        _("auto_failback is `legacy`: ipfail and hb_standby do not work in that mode.")
        if hacf.auto_failback
        else _(
            "auto_failback is not set, so Heartbeat uses `legacy`: ipfail and hb_standby do not "
            "work in that mode."
        )
    )
    yield Hit(
        span=where,
        message=said + quoted("HL140", "Deprecated"),
        fix=_("write `auto_failback on` (resources return to their preferred node) or `off`"),
    )


def _program(command: Word) -> str:
    return command.text.rsplit("/", 1)[-1]


@node_check("HL150")
def ipfail_without_ping(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.ping_nodes or hacf.ping_groups:
        return
    for respawn in hacf.respawns:
        if _program(respawn.command) == "ipfail":
            yield Hit(
                span=respawn.command.span,
                message=_(
                    "ipfail is respawned but there is no `ping` or `ping_group` node: ipfail "
                    "compares how many ping nodes each side sees and has nothing to measure"
                ),
                fix=_("add `ping <your gateway's address>` (the same on every node)"),
            )


@node_check("HL153")
def deadping_without_ping(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.deadping is None or hacf.ping_nodes or hacf.ping_groups:
        return
    yield Hit(
        span=hacf.deadping.span,
        message=_(
            "`deadping` says how long a ping node may stay silent before it counts as dead, but "
            "there is no `ping` or `ping_group` node: it has no effect (Heartbeat starts)"
        ),
        fix=_("add the ping nodes it is meant for (`ping <gateway address>`), or delete the line"),
    )


@node_check("HL151")
def ping_node_is_cluster_node(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    nodes = {n.text.lower() for n in hacf.nodes}
    peers = {m.target.text for m in hacf.media if m.kind in ("ucast", "ucast6") and m.target}
    hosts = list(hacf.ping_nodes) + [h for g in hacf.ping_groups for h in g.hosts]
    for host in hosts:
        if host.text.lower() in nodes:
            what = _(
                "ping node `{host}` is a cluster node: a ping node must be a third party (the "
                "gateway, a switch) that both nodes can reach"
            )
        elif host.text in peers:
            what = _(
                "ping node `{host}` is the address this node unicasts its heartbeats to (a "
                "cluster node): a ping node must be a third party (the gateway, a switch) that "
                "both nodes can reach"
            )
        else:
            continue
        yield Hit(
            span=host.span,
            message=what.format(host=host.text),
            fix=_("ping the default gateway's address instead"),
        )


@node_check("HL152")
def respawn_ipfail_as_root(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    for respawn in hacf.respawns:
        program = _program(respawn.command)
        if program in ("ipfail", "dopd") and respawn.user.text != DAEMON_USER:
            yield Hit(
                span=respawn.user.span,
                message=_(
                    "{program} runs as `{user}`, not as Heartbeat's own user `{daemon}`: it needs "
                    "no more rights, and its API authorisation (`apiauth {program}`) must then "
                    "name that user"
                ).format(program=program, user=respawn.user.text, daemon=DAEMON_USER),
                fix=_("write `{line}`").format(
                    line=f"{'failfast' if respawn.failfast else 'respawn'} {DAEMON_USER} "
                    f"{respawn.command.text}"
                ),
            )


@node_check("HL160")
def crm_with_haresources(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    node = ctx.node
    haresources = node.files.get("haresources")
    if hacf is None or not hacf.crm_enabled or haresources is None:
        return
    if haresources.facts.kind != "file" or hacf.pacemaker is None:
        return
    yield Hit(
        span=hacf.pacemaker.span,
        message=_("Pacemaker is enabled, so haresources is not used (its resources never start).")
        + quoted("HL160", "File", haresources.path)
        + also_quoted("HL160", "This file"),
        fix=_("configure the resources in Pacemaker and remove haresources, or set `crm off`"),
        related=[
            (
                Span.model_construct(path=haresources.path, line=1, column=1),
                _("ignored while crm is on"),
            )
        ],
    )


@node_check("HL163")
def ipfail_with_crm(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or not hacf.crm_enabled:
        return
    for respawn in hacf.respawns:
        if _program(respawn.command) == "ipfail":
            yield Hit(
                span=respawn.command.span,
                message=_(
                    "ipfail with `crm on`: ipfail moves resources by asking Heartbeat's own "
                    "resource manager to give them up, and with crm on Heartbeat runs none "
                    "(Pacemaker manages the resources): ipfail runs, and nothing it decides ever "
                    "happens"
                ),
                fix=_(
                    "remove the respawn line and let Pacemaker decide: a `ping` resource (or "
                    "pingd) with a location constraint on its score"
                ),
            )


@node_check("HL161")
def autojoin_with_haresources(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None or hacf.crm_enabled or hacf.autojoin is None:
        return
    if hacf.autojoin.value not in ("other", "any"):
        return
    yield Hit(
        span=hacf.autojoin.span,
        message=_(
            "`autojoin {value}` needs Pacemaker: with haresources (crm off) Heartbeat refuses to "
            "start."
        ).format(value=hacf.autojoin.value)
        + quoted("HL161", "R1 style")
        + also_quoted("HL161", "You need"),
        fix=_("delete the autojoin line (or write `autojoin none`)"),
    )


@node_check("HL162")
def crm_daemon_dir_misplaced(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    switch: Directive | None = None
    for directive in hacf.directives:
        name = directive.name.text
        if name in ("pacemaker", "crm") and directive.args:
            switch = switch or directive
        if name != "crm_daemon_dir" or not directive.args:
            continue
        value = directive.args[-1].text
        if hacf.crm_enabled and switch is not None:
            yield Hit(
                span=directive.name.span,
                message=_(
                    "`crm_daemon_dir` comes after `{switch}` (line {line}): Heartbeat refuses to "
                    "start."
                ).format(switch=switch.name.text, line=switch.span.line)
                + quoted("HL162", "If you specify", value, "pacemaker"),
                fix=_("move `crm_daemon_dir {value}` above line {line}").format(
                    value=value, line=switch.span.line
                ),
                related=[(switch.span, _("the Pacemaker switch"))],
            )
        elif not hacf.crm_enabled and switch is None:
            yield Hit(
                span=directive.name.span,
                message=_(
                    "`crm_daemon_dir` is for Pacemaker mode only: without `crm on` before it, "
                    'Heartbeat refuses to start and logs only "{said}"'
                ).format(said=heartbeat_says("HL162", "Heartbeat not started")),
                fix=_("delete the crm_daemon_dir line (haresources mode does not use it)"),
            )

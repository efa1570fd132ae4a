"""HL100, HL101, HL103, HL107: ha.cf's lines as the reader read them (unreadable lines, unknown
names, missing arguments, Heartbeat's table limits)."""

from __future__ import annotations

from collections.abc import Iterator

from halint import directives as D
from halint.checks import Hit, NodeContext, node_check
from halint.i18n import N_, _, translate
from halint.models import Directive, HaCf, Span, Unparsed
from halint.regex import compiled
from halint.rulemeta import heartbeat_says, quoted


def _hacf(ctx: NodeContext) -> HaCf | None:
    return ctx.node.hacf


def close_match(text: str, choices: tuple[str, ...], cutoff: float) -> str | None:
    """The one of `choices` a misspelt word is nearest to, if any is near enough."""
    import difflib

    found = difflib.get_close_matches(text, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


# -- HL100 ---------------------------------------------------------------------------------

_UNREADABLE = ("unreadable-character", "unreadable-token", "unreadable-end", "unreadable")


def _unreadable_detail(fact: Unparsed) -> str:
    from halint.checks.misread import describe_char

    found = fact.word.text
    if fact.reason == "unreadable-character":
        return _("{character} cannot be part of a directive").format(character=describe_char(found))
    if fact.reason == "unreadable-token":
        return _("unexpected {word}").format(word=repr(found))
    if fact.reason == "unreadable-end":
        return _("unexpected the end of the line")
    return _("the line does not fit the file's syntax")


@node_check("HL100")
def unreadable_line(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    from halint.parsing.common import MAX_LINE_BYTES

    for fact in hacf.unparsed:
        span = fact.word.span
        if fact.reason == "nul-byte":
            yield Hit(
                span=span,
                message=_(
                    "a NUL byte: Heartbeat reads the line only up to it and ignores the rest"
                ),
                fix=_("remove the NUL byte and what follows it, or retype the line"),
                blocks_start=False,
                severity="warning",
            )
        elif fact.reason == "line-too-long":
            yield Hit(
                span=span,
                message=_(
                    "line {number} is longer than the {limit} bytes Heartbeat reads at once; "
                    "the rest would be read as a new line (only the start is checked here)"
                ).format(number=span.line, limit=MAX_LINE_BYTES),
                fix=_("split or shorten the line"),
            )
        elif fact.reason in _UNREADABLE:
            yield Hit(
                span=span,
                message=_("this line cannot be read as a directive: {detail}").format(
                    detail=_unreadable_detail(fact)
                ),
                fix=_("delete the line or retype it as `directive value`; comments start with #"),
            )
        elif fact.reason == "file-too-large":
            from halint.sources import MAX_READ_BYTES

            yield Hit(
                span=span,
                message=_(
                    "{file} is larger than {size} KiB: no Heartbeat configuration is anywhere "
                    "near that size, and halint reads no further than here (Heartbeat itself "
                    "would read on)"
                ).format(file="ha.cf", size=MAX_READ_BYTES // 1024),
                fix=_("look at what filled {file}: a configuration file is a few kilobytes").format(
                    file="ha.cf"
                ),
                blocks_start=False,
            )


# -- HL101 ---------------------------------------------------------------------------------


def _unknown_hit(directive: Directive, seek_close: bool) -> Hit:
    name = directive.name
    text = name.text
    suggestion: str | None = None
    fix: str | None = None
    if text.startswith("\ufeff"):
        why = _(
            "the file starts with a UTF-8 byte-order mark (BOM), which Heartbeat reads as part "
            "of the first directive's name"
        )
        suggestion = text.lstrip("\ufeff")
        fix = _("save ha.cf without a BOM (e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' ha.cf`)")
    elif "\u3000" in text or "\u00a0" in text:
        why = _(
            "a full-width or non-breaking space is glued to the name; Heartbeat only separates "
            "words with ASCII spaces and tabs"
        )
        suggestion = compiled("[\u3000\u00a0]").split(text)[0]
        fix = _("replace the full-width space with an ordinary space")
    elif text in D.NOT_IN_306:
        why = _("`{name}` is not available in Heartbeat 3.0.6 ({why})").format(
            name=text, why=D.NOT_IN_306[text]
        )
        fix = _("remove the line")
    elif text.startswith(("//", ";", "--")) or text.startswith("[") or ":" in text[-1:]:
        why = _(
            "this looks like a comment or a note pasted with the configuration; only # starts "
            "a comment in ha.cf"
        )
        fix = _("start the line with # or delete it")
    elif text.lower() in D.ALL_DIRECTIVES:
        why = _("directive names are case-sensitive")
        suggestion = text.lower()
    else:
        base = text.split(",")[0]
        if base in D.ALL_DIRECTIVES:
            why = _("a comma does not end a directive name")
            suggestion = base
        else:
            why = _("this is not a Heartbeat 3.0.6 directive")
            if seek_close:
                suggestion = close_match(text.lower(), D.ALL_DIRECTIVES, 0.7)
    message = _("unknown directive `{name}`: {why}.").format(name=text, why=why)
    if suggestion:
        message += " " + _("Did you mean `{suggestion}`?").format(suggestion=suggestion)
        fix = fix or _("write `{suggestion}`").format(suggestion=suggestion)
    return Hit(
        span=name.span,
        message=message + quoted("HL101", "Illegal directive", text, "/etc/ha.d/ha.cf"),
        fix=fix or _("remove or correct the line"),
    )


@node_check("HL101")
def unknown_directive(ctx: NodeContext) -> Iterator[Hit]:
    """A name Heartbeat does not know. The nearest directive is sought (difflib: a quarter of
    a millisecond a name) only for as many names as a report shows of one rule."""
    hacf = _hacf(ctx)
    if hacf is None:
        return
    sought = 0
    for directive in hacf.directives:
        if not directive.known:
            from halint.outgoing import MAX_PER_RULE  # imported only for an unknown name

            sought += 1
            yield _unknown_hit(directive, seek_close=sought <= MAX_PER_RULE)


# -- HL103 ---------------------------------------------------------------------------------

_MCAST_FIELDS = 5  # interface, group, port, ttl, loop


def _mcast_said(name: str, interface: str, given: int) -> str:
    """What Heartbeat says of an mcast line with only `given` fields (rules/HL103.toml)."""
    if given == 1:
        return quoted("HL103", "%s [%s] missing mcast", name, interface)
    if given == 2:
        return quoted("HL103", "%s [%s] missing port", name, interface)
    if given == 3:
        return quoted("HL103", "%s [%s] missing ttl", name, interface)
    return quoted("HL103", "%s [%s] missing loop", name, interface)


def _missing(
    directive: Directive, what: str, heartbeat: str, example: str, blocks: bool = True
) -> Hit:
    return Hit(
        span=directive.span,
        message=_("`{name}` is missing {what}.").format(name=directive.name.text, what=what)
        + heartbeat,
        fix=_("write `{example}`").format(example=example),
        blocks_start=blocks,
    )


def _mcast_field(count: int) -> str:
    names = (
        _("an interface"),
        _("a multicast group"),
        _("a port"),
        _("a ttl"),
        _("a loop flag"),
    )
    return ", ".join(names[count:])


def _missing_hit(directive: Directive) -> Hit | None:
    name = directive.name.text
    args = directive.args
    first = args[0].text if args else ""
    if name in D.OPTIONS or name in D.TOKEN_MEDIA:
        if args:
            return None
        return Hit(
            span=directive.name.span,
            message=_("`{name}` has no value; Heartbeat silently ignores the line").format(
                name=name
            ),
            blocks_start=False,
            severity="warning",
            fix=_("give `{name}` a value or delete the line").format(name=name),
        )
    if name in ("ucast", "ucast6") and len(args) < 2:
        return _missing(
            directive,
            _("its target address") if args else _("an interface and a target address"),
            quoted("HL103", "ucast: [", first) if args else "",
            f"{name} eth0 192.168.0.2",
        )
    if name in ("mcast", "mcast6") and len(args) < _MCAST_FIELDS:
        said = _mcast_said(name, first, len(args)) if args else ""
        return _missing(directive, _mcast_field(len(args)), said, f"{name} eth0 239.0.0.1 694 1 0")
    if name == "ping_group" and len(args) < 2:
        what = _("at least one host") if args else _("a group name and at least one host")
        return _missing(directive, what, "", "ping_group gw 192.168.0.1 192.168.0.254")
    if name in ("respawn", "failfast") and len(args) < 2:
        what = _("the program to run") if args else _("a user and a program")
        return _missing(directive, what, "", f"{name} hacluster /usr/libexec/heartbeat/ipfail")
    if name == "apiauth" and len(args) < 2:
        return _missing(
            directive,
            _("a uid= or gid= list") if args else _("a client and a uid= or gid= list"),
            quoted("HL103", "Missing uid or gid"),
            "apiauth ipfail uid=hacluster",
        )
    if name in ("stonith", "stonith_host"):
        return _stonith_missing(directive)
    return None


def _stonith_missing(directive: Directive) -> Hit | None:
    name = directive.name.text
    args = directive.args
    if name == "stonith" and len(args) == 1:
        # The daemon checks the type first (HL614), then opens a file it never got: it names
        # whatever its buffer held before ("Invalid Stonith config file [192.168.1.2]").
        return Hit(
            span=directive.span,
            message=_("`stonith {type}` names no configuration file for the device.").format(
                type=args[0].text
            )
            + quoted("HL103", "Invalid Stonith config file"),
            fix=_(
                "write `stonith {type} /etc/ha.d/stonith.cfg` (that file holds the device's "
                "parameters)"
            ).format(type=args[0].text),
            blocks_start=True,
        )
    if len(args) < 2:
        example = (
            "stonith_host * meatware"
            if name == "stonith_host"
            else "stonith baytech /etc/ha.d/conf/stonith.baytech"
        )
        return _missing(
            directive, _("its type and parameters"), quoted("HL103", "No Stonith type"), example
        )
    if name == "stonith_host" and len(args) < 3:
        # Lines for other hosts are skipped by the daemon; `*` applies everywhere.
        host = args[0].text
        where = "" if host == "*" else " " + _("(on {host}, the node it names)").format(host=host)
        return Hit(
            span=directive.span,
            message=_("`stonith_host {words}` has no parameters for the device.").format(
                words=" ".join(a.text for a in args)
            )
            + quoted("HL103", "Invalid Stonith configuration parameter", "")
            + where,
            fix=_(
                "add the device's parameters: `stonith_host {host} {type} <parameters>` "
                "(`stonith -t TYPE -n` lists them)"
            ).format(host=host, type=args[1].text),
            blocks_start=host == "*",
        )
    return None


@node_check("HL103")
def missing_argument(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    for directive in hacf.directives:
        if directive.known:
            hit = _missing_hit(directive)
            if hit is not None:
                yield hit


# -- HL107 ---------------------------------------------------------------------------------


def _beyond(span: Span, message: str, fix: str) -> Hit:
    """Past a limit that stops the daemon: one finding, and the rest is not read."""
    return Hit(
        span=span,
        message=message + _("; halint reads no further"),
        fix=fix,
        blocks_start=True,
    )


@node_check("HL107")
def beyond_limits(ctx: NodeContext) -> Iterator[Hit]:
    hacf = _hacf(ctx)
    if hacf is None:
        return
    fewer_media = N_("use fewer media: two or three paths between the nodes are plenty")
    for fact in hacf.unparsed:
        span, count = fact.word.span, fact.read_as
        if fact.reason == "too-many-nodes":
            kind = fact.directive
            said = (
                _('with only "{message}"').format(
                    message=heartbeat_says("HL107", "Heartbeat not started")
                )
                if kind == "node"
                else quoted("HL107", "Illegal", kind, f"{kind} membership", fact.word.text).lstrip()
            )
            yield _beyond(
                span,
                _(
                    "node number {count} (ping nodes and ping groups count too): Heartbeat "
                    "holds at most {limit} and refuses to start, {said}"
                ).format(count=count, limit=D.MAX_NODES, said=said),
                _("declare only the cluster's own nodes, once each"),
            )
        elif fact.reason == "too-many-media":
            yield _beyond(
                span,
                _(
                    "medium number {count}: Heartbeat holds at most {limit} and refuses to start."
                ).format(count=count, limit=D.MAX_MEDIA)
                + quoted("HL107", "Too many media", D.MAX_MEDIA),
                translate(fewer_media),
            )
        elif fact.reason == "medium-never-run":
            yield Hit(
                span=span,
                message=_(
                    "medium number {count}: Heartbeat has room for {limit}; it starts, but never "
                    "runs this one."
                ).format(count=count, limit=D.MAX_MEDIA)
                + quoted("HL107", "make_io_childpair", D.MAX_MEDIA),
                fix=translate(fewer_media),
                blocks_start=False,
            )
        elif fact.reason == "media-overrun":
            yield _beyond(
                span,
                _(
                    "medium number {count}: Heartbeat writes past its table of {limit} media and "
                    "crashes as it starts (a segmentation fault, nothing logged)"
                ).format(count=count, limit=D.MAX_MEDIA),
                translate(fewer_media),
            )

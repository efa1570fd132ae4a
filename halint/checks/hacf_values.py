"""HL102: values of ha.cf that Heartbeat refuses or reads otherwise than they are written.

Driven by halint/directives.py (ranges, choices, and the start of Heartbeat's message for each
directive, quoted from rules/HL102.toml)."""

from __future__ import annotations

from collections.abc import Iterator

from halint import directives as D
from halint.checks import Hit, NodeContext, node_check
from halint.checks.hacf_lines import close_match
from halint.edits import Edit
from halint.i18n import N_, _, translate
from halint.models import Directive, HaCf, IntSetting, Medium, Respawn, Unparsed, Word
from halint.regex import compiled
from halint.rulemeta import heartbeat_says, quoted
from halint.values import is_numeric_address, seconds_meant


def _said(directive: str, value: str, blocks: bool, quiet: bool = False) -> str:
    """How the finding ends: Heartbeat's own message, or that it says nothing useful (unless
    `quiet`: HL123 says it of a note already)."""
    if blocks and directive in D.REFUSALS:
        return quoted("HL102", D.REFUSALS[directive], value)
    if not blocks or quiet:
        return ""
    return " " + _('Heartbeat refuses to start with only "{message}" and names no line.').format(
        message=heartbeat_says("HL102", "Heartbeat not started")
    )


def invalid(
    directive: str,
    token: Word,
    why: str,
    fix: str,
    blocks: bool = True,
    said: str | None = None,
    edits: list[Edit] | None = None,
    quiet: bool = False,
) -> Hit:
    """`directive `value`: why. Heartbeat: "..."` at the value. `said`: "" for no message,
    None for the directive's own (directives.REFUSALS) or the bare refusal (none if `quiet`)."""
    from halint.parsing.common import abbreviated

    # the full stop of the sentence (a translation has its own: 。)
    stop = "" if why.endswith(("?", "？")) else _(".")
    ending = said if said is not None else _said(directive, token.text, blocks, quiet)
    return Hit(
        span=token.span,
        message=_("{directive} `{value}`: {why}").format(
            directive=directive, value=abbreviated(token.text), why=why
        )
        + stop
        + ending,
        blocks_start=blocks,
        fix=fix,
        severity=None if blocks else "warning",
        edits=edits or [],
    )


# -- option values -------------------------------------------------------------------------


def _not_a_time(fact: Unparsed, quiet: bool) -> Hit:
    directive, token = fact.directive, fact.word
    text = token.text
    unit = compiled(r"^[0-9.]+").sub("", text)
    edits: list[Edit] = []
    if unit and text[:1].isdigit():
        why = _(
            "Heartbeat times take no unit `{unit}`: a bare number is seconds, `ms` milliseconds"
        ).format(unit=unit)
        number = text[: len(text) - len(unit)]
        if seconds_meant(text) is not None:
            fix = _("write `{directive} {number}`").format(directive=directive, number=number)
            span = token.span
            edits = [Edit.replace(span.path, span.line, span.column, text, number)]
        else:
            fix = _("write the time in seconds or with `ms`, e.g. `{directive} {number}`").format(
                directive=directive, number=number
            )
    else:
        why = _("not a time (a bare number is seconds, `ms` milliseconds)")
        fix = _("write e.g. `{directive} 10`").format(directive=directive)
    return invalid(directive, token, why, fix, edits=edits, quiet=quiet)


def _out_of_range(fact: Unparsed, quiet: bool) -> Hit:
    directive, token = fact.directive, fact.word
    low, high = D.INT_RANGES[directive]
    limits = f"{low}–{high}" if high is not None else _("{low} or more").format(low=low)
    read_as = (
        ""
        if fact.read_as is None
        else " " + _("(Heartbeat reads it as {value}, C atoi)").format(value=fact.read_as)
    )
    # A very long number: the daemon would quote all of it.
    said = None if len(token.text) <= 40 else _said("", token.text, True, quiet)
    return invalid(
        directive,
        token,
        _("must be {limits}").format(limits=limits) + read_as,
        _("give {directive} a number in {limits}").format(directive=directive, limits=limits),
        said=said,
        quiet=quiet,
    )


def _not_a_choice(fact: Unparsed, quiet: bool) -> Hit:
    directive, token = fact.directive, fact.word
    if directive == "auto_failback":
        return invalid(
            directive,
            token,
            _("must be on, off or legacy"),
            _("write `auto_failback on` (or off)"),
            quiet=quiet,
        )
    if directive == "pacemaker":
        return invalid(
            directive,
            token,
            _("must be a boolean or one of {values}").format(values=", ".join(D.PACEMAKER_VALUES)),
            _("write `crm off` or `pacemaker on`"),
            quiet=quiet,
        )
    allowed, _ignore_case = D.ENUMS[directive]
    close = close_match(token.text, allowed, 0.6)
    shown = ", ".join(allowed) if len(allowed) < 8 else _("a syslog facility name")
    why = _("must be {values}").format(values=shown)
    if close:
        why += "; " + _("did you mean `{value}`?").format(value=close)
    return invalid(
        directive,
        token,
        why,
        _("write `{directive} {value}`").format(directive=directive, value=close or allowed[0]),
        quiet=quiet,
    )


def _option_value(fact: Unparsed, quiet: bool = False) -> Hit | None:
    directive, token, reason = fact.directive, fact.word, fact.reason
    if reason == "not-a-time":
        return _not_a_time(fact, quiet)
    if reason == "time-overflow":
        return invalid(
            directive,
            token,
            _(
                "a number too large for Heartbeat: its reading of it (a C long of milliseconds) "
                "overflows to a negative time"
            ),
            _("write the time in seconds, e.g. `{directive} 30`").format(directive=directive),
            quiet=quiet,
        )
    if reason == "not-positive":
        return invalid(
            directive,
            token,
            _("{directive} must be greater than zero").format(directive=directive),
            _("give {directive} a positive time").format(directive=directive),
            quiet=quiet,
        )
    if reason == "not-a-boolean":
        return invalid(
            directive,
            token,
            _("not a boolean (Heartbeat takes true/false, on/off, yes/no, y/n, 1/0)"),
            _("write `{directive} on` or `{directive} off`").format(directive=directive),
            quiet=quiet,
        )
    if reason == "not-a-baud-rate":
        return invalid(
            directive,
            token,
            _("not a serial speed Heartbeat knows ({rates})").format(
                rates=", ".join(map(str, D.BAUD_RATES))
            ),
            _("write `baud 19200` or another listed rate"),
            quiet=quiet,
        )
    if reason == "out-of-range":
        return _out_of_range(fact, quiet)
    if reason == "not-absolute":
        return invalid(
            directive,
            token,
            _("not an absolute path"),
            _("write `coreroot /var/lib/heartbeat/cores` (or leave it out: the default)"),
            quiet=quiet,
        )
    if reason == "not-a-choice":
        return _not_a_choice(fact, quiet)
    return None


def _read_otherwise(setting: IntSetting) -> Iterator[Hit]:
    """A number Heartbeat takes, but not as written."""
    directive, value = setting.directive, setting.value
    token = Word.model_construct(text=setting.raw, span=setting.span)
    if not setting.clean:
        yield invalid(
            directive,
            token,
            _(
                "not a plain number; Heartbeat reads it as {value} (C atoi ignores what follows "
                "the digits, and a number beyond its range wraps around)"
            ).format(value=value),
            _("write `{directive} {value}`").format(directive=directive, value=value),
            blocks=False,
        )
    if directive == "udpport" and value > 65535:
        yield invalid(
            directive,
            token,
            _("above 65535, Heartbeat accepts it but the port actually used is {port}").format(
                port=value % 65536
            ),
            _("use a port from 1 to 65535 (694 is Heartbeat's own)"),
            blocks=False,
        )


def _env(token: Word) -> Iterator[Hit]:
    text = token.text
    if text.startswith("="):
        yield invalid("env", token, _("the variable has no name"), _("write `env NAME=value`"))
    elif "=" not in text:
        yield invalid(
            "env",
            token,
            _("no `=value`: Heartbeat accepts it and sets nothing useful"),
            _("write `env {text}=value`").format(text=text),
            blocks=False,
        )


# -- media and whole-line directives -------------------------------------------------------


def _ipv4(directive: str, token: Word, role: str) -> Iterator[Hit]:
    """A numeric IPv4 address as Heartbeat reads it (a host name is the resolver's)."""
    if not is_numeric_address(token.text):
        return

    def not_valid(said: str | None = None) -> Hit:
        shown = translate(role)
        return invalid(
            directive,
            token,
            _("the {role} is not a valid IPv4 address").format(role=shown),
            _("correct the {role} address").format(role=shown),
            said=said,
        )

    if directive != "ucast":
        import ipaddress

        try:
            ipaddress.IPv4Address(token.text)
        except ValueError:
            yield not_valid()
        return
    # ucast resolves its target with the C library, which reads numbers as inet_aton does:
    # `192.168.1` is 192.168.0.1, and a leading zero means octal. (The C module `_socket`:
    # the `socket` wrapper costs a pre-commit run 1.5 ms to import.)
    import _socket

    try:
        canonical = _socket.inet_ntoa(_socket.inet_aton(token.text))
    except OSError:
        yield not_valid(quoted("HL102", "ucast: cannot resolve"))
        return
    if canonical != token.text:
        yield invalid(
            "ucast",
            token,
            _(
                "Heartbeat reads this as {address} (C inet_aton: missing parts fill the last "
                "one, a leading zero means octal)"
            ).format(address=canonical),
            _("write `{address}` if that is what you mean").format(address=canonical),
            blocks=False,
        )


def _ucast6(interface: Word, target: Word) -> Iterator[Hit]:
    """ucast6 takes a numeric IPv6 address (a scope such as %eth0 allowed) and resolves no
    names; loopback, unspecified and multicast addresses are refused too (observed)."""
    import ipaddress

    try:
        address: ipaddress.IPv6Address | None = ipaddress.IPv6Address(target.text)
    except ValueError:
        address = None
    if address is None:
        why = _("not an IPv6 address (ucast6 resolves no host names, and takes no IPv4)")
    elif address.is_loopback or address.is_unspecified:
        why = _("the loopback or unspecified address, not the peer's")
    elif address.is_multicast:
        why = _("a multicast address (that is mcast6's)")
    else:
        return
    yield invalid(
        "ucast6",
        target,
        why,
        _("write the peer's IPv6 address: `ucast6 {interface} fe80::2`").format(
            interface=interface.text
        ),
        said=quoted("HL102", "glib: ucast6", interface.text, target.text),
    )


def _medium(medium: Medium) -> Iterator[Hit]:
    if medium.kind == "serial":
        for device in medium.devices:
            if not device.text.startswith("/"):
                yield invalid(
                    "serial",
                    device,
                    _("the serial port must be given by its full path"),
                    _("write `serial /dev/{device}`").format(device=device.text),
                    said=quoted("HL102", "Serial port", device.text),
                )
    elif medium.kind == "ucast" and medium.target is not None:
        yield from _ipv4("ucast", medium.target, N_("target"))
    elif medium.kind == "ucast6" and medium.interface is not None and medium.target is not None:
        yield from _ucast6(medium.interface, medium.target)
    elif medium.kind == "mcast" and medium.loop is not None and medium.group is not None:
        yield from _ipv4("mcast", medium.group, N_("group"))


def _ping6(directive: Directive) -> Iterator[Hit]:
    for host in directive.args:
        if is_numeric_address(host.text):
            yield invalid(
                "ping6",
                host,
                _("ping6 takes IPv6 hosts; this is an IPv4 address"),
                _("write `ping {host}`").format(host=host.text),
                said=quoted("HL102", "Illegal %s", "ping6", "ping6 membership", host.text),
            )


def _respawn(respawn: Respawn) -> Iterator[Hit]:
    name = "failfast" if respawn.failfast else "respawn"
    user, command = respawn.user, respawn.command
    if user.text.isdigit():
        yield invalid(
            name,
            user,
            _("the user must be a login name; Heartbeat rejects numeric ids"),
            _("write the user's name, e.g. `{name} hacluster {command}`").format(
                name=name, command=command.text
            ),
            said=quoted("HL102", "Invalid uid", user.text),
        )
    if not command.text.startswith("/"):
        yield invalid(
            name,
            command,
            _("the program must be given by its full path"),
            _("write the absolute path of the program"),
            said=quoted("HL102", "Client child command", command.text),
        )


def _apiauth(hacf: HaCf) -> Iterator[Hit]:
    lines = {d.span.line: d for d in hacf.directives if d.name.text == "apiauth"}

    def written(line: int) -> str:
        return " ".join(a.text for a in lines[line].args)

    for auth in hacf.apiauths:
        if len(auth.client.text) >= 32:
            yield invalid(
                "apiauth",
                auth.client,
                _("the client name is longer than 31 characters"),
                _("use the client's real (short) name"),
                said=quoted("HL102", "client name", written(auth.span.line)),
            )
    for fact in hacf.unparsed:
        if fact.directive != "apiauth":
            continue
        arg = fact.word
        key = arg.text.partition("=")[0]
        if fact.reason == "second-list":
            yield invalid(
                "apiauth",
                arg,
                _("a second {key}= list on one line").format(key=key),
                _("join them: `{key}=a,b`").format(key=key),
                said=quoted("HL102", "Duplicate", key),
            )
        elif fact.reason == "empty-list":
            yield invalid(
                "apiauth",
                arg,
                _("an empty {key}= list: Heartbeat accepts it and authorises nobody by it").format(
                    key=key
                ),
                _("name the users, or drop it")
                if key == "uid"
                else _("name the groups, or drop it"),
                blocks=False,
            )
        elif fact.reason == "not-a-list":
            yield invalid(
                "apiauth",
                arg,
                _("expected uid=LIST or gid=LIST"),
                _("write `apiauth CLIENT uid=USER gid=GROUP`"),
                said=quoted("HL102", "Invalid apiauth", written(arg.span.line)),
            )


def _notes(hacf: HaCf) -> set[tuple[int, int]]:
    """Where each word of a note on an option line is (`keepalive 2 // seconds`): HL123 says
    Heartbeat reads them as more values and refuses to start. HL102 names the first of them
    Heartbeat refuses, and only that, without repeating that it does not start."""
    from halint.checks.hacf_rules import note_start

    found: set[tuple[int, int]] = set()
    for directive in hacf.directives:
        if directive.known and directive.name.text in D.OPTIONS:
            start = note_start(directive)
            if start is not None:
                found.update((w.span.line, w.span.column) for w in directive.args[start:])
    return found


@node_check("HL102")
def invalid_value(ctx: NodeContext) -> Iterator[Hit]:
    hacf = ctx.node.hacf
    if hacf is None:
        return
    notes = _notes(hacf)
    named: set[int] = set()  # lines whose note HL102 has named a word of

    def in_note(word: Word) -> bool:
        """A word of a note on a line whose note has been named (a first word is named)."""
        span = word.span
        if (span.line, span.column) not in notes:
            return False
        if span.line in named:
            return True
        named.add(span.line)
        return False

    for fact in hacf.unparsed:
        if fact.directive in D.OPTIONS and not in_note(fact.word):
            span = fact.word.span
            hit = _option_value(fact, quiet=(span.line, span.column) in notes)
            if hit is not None:
                yield hit
    for setting in hacf.values:
        if (
            isinstance(setting, IntSetting)
            and (setting.span.line, setting.span.column) not in notes
        ):
            yield from _read_otherwise(setting)
    for token in hacf.env:
        if not in_note(token):
            yield from _env(token)
    for medium in hacf.media:
        yield from _medium(medium)
    for directive in hacf.directives:
        if directive.name.text == "ping6":
            yield from _ping6(directive)
    for respawn in hacf.respawns:
        yield from _respawn(respawn)
    yield from _apiauth(hacf)

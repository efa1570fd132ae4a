"""Build the HaCf model from ha.cf, applying each directive as Heartbeat 3.0.6 does."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from halint import directives as D
from halint.grammar import parser
from halint.models import (
    ApiAuth,
    Directive,
    HaCf,
    Medium,
    PingGroup,
    Problem,
    Respawn,
    Setting,
    Span,
    Word,
)
from halint.parsing.common import (
    abbreviated,
    clip_line,
    span_at,
    too_large,
    unreadable_line,
    word,
)
from halint.values import atoi, is_numeric_address, parse_bool, parse_time_ms

if TYPE_CHECKING:
    from lark import Tree

    from halint.sources import SourceFile


def _close(word: str, choices: tuple[str, ...], cutoff: float) -> list[str]:
    import difflib

    return difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)


class _HaCfBuilder:
    def __init__(self, path: str) -> None:
        self.model = HaCf.model_construct(path=path)
        self.path = path
        self.nodes = 0  # as Heartbeat counts them: ping nodes and groups too
        self.media = 0
        self.stopped = False  # past one of Heartbeat's limits: the rest is not read
        self.unknown_names = 0
        self.parsed: dict[str, object] = {}  # a line's text -> its tree (or the error)

    # -- problems ------------------------------------------------------------------------

    def problem(self, rule: str, span: Span, message: str, **extra: object) -> None:
        self.model.problems.append(
            Problem.model_construct(rule=rule, span=span, message=message, **extra)
        )

    def invalid(
        self,
        directive: str,
        token: Word,
        why: str,
        heartbeat: str | None = None,
        blocks: bool = True,
        fix: str | None = None,
    ) -> None:
        said = (
            f' Heartbeat: "{heartbeat}"'
            if heartbeat
            else (
                " Heartbeat refuses to start with only"
                ' "Heartbeat not started: configuration error." and names no line.'
                if blocks
                else ""
            )
        )
        stop = "" if why.endswith("?") else "."
        self.problem(
            "HL102",
            token.span,
            f"{directive} `{abbreviated(token.text)}`: {why}{stop}{said}",
            blocks_start=blocks,
            fix=fix,
            severity=None if blocks else "warning",
        )

    # -- Heartbeat's limits ------------------------------------------------------------------

    def add_nodes(self, words: list[Word], kind: str = "node") -> None:
        for token in words:
            self.nodes += 1
            if self.nodes > D.MAX_NODES:
                said = (
                    'with only "Heartbeat not started: configuration error."'
                    if kind == "node"
                    else f'Heartbeat: "Illegal {kind} [{kind} membership] in config file '
                    f'[{token.text}]"'
                )
                self.beyond(
                    token,
                    f"node number {self.nodes} (ping nodes and ping groups count too): "
                    f"Heartbeat holds at most {D.MAX_NODES} and refuses to start, {said}",
                    "declare only the cluster's own nodes, once each",
                )
                return

    def add_media(self, words: list[Word], whole_line: bool) -> None:
        """Count media as the daemon does. bcast, serial and ping take theirs one word at a
        time and refuse the 65th; ucast and mcast lines are stored without a check: the 65th
        is never started, a 66th overruns the table and the daemon crashes (oracle)."""
        for token in words:
            self.media += 1
            if self.media <= D.MAX_MEDIA:
                continue
            fix = "use fewer media: two or three paths between the nodes are plenty"
            if not whole_line:
                self.beyond(
                    token,
                    f"medium number {self.media}: Heartbeat holds at most {D.MAX_MEDIA} and "
                    f'refuses to start. Heartbeat: "Too many media specified (> {D.MAX_MEDIA})"',
                    fix,
                )
            elif self.media == D.MAX_MEDIA + 1:
                self.problem(
                    "HL107",
                    token.span,
                    f"medium number {self.media}: Heartbeat has room for {D.MAX_MEDIA}; it "
                    "starts, but never runs this one. Heartbeat: "
                    f'"make_io_childpair : media index is {D.MAX_MEDIA}"',
                    fix=fix,
                    blocks_start=False,
                )
            else:
                self.beyond(
                    token,
                    f"medium number {self.media}: Heartbeat writes past its table of "
                    f"{D.MAX_MEDIA} media and crashes as it starts (a segmentation fault, "
                    "nothing logged)",
                    fix,
                )
            return

    def beyond(self, token: Word, message: str, fix: str) -> None:
        """Past a limit that stops the daemon: one finding, and the rest is not read."""
        self.problem(
            "HL107",
            token.span,
            message + "; halint reads no further",
            fix=fix,
            blocks_start=True,
        )
        self.stopped = True

    # -- lines -----------------------------------------------------------------------------

    def read_line(self, number: int, raw: str) -> None:
        text = raw.split("\r", 1)[0]
        if "\x00" in text:
            cut = text.index("\x00")
            if text[cut:].strip("\x00 \t"):
                self.problem(
                    "HL100",
                    span_at(self.path, number, cut + 1, 1),
                    "a NUL byte: Heartbeat reads the line only up to it and ignores the rest",
                    fix="remove the NUL byte and what follows it, or retype the line",
                    blocks_start=False,
                    severity="warning",
                )
            text = text[:cut]
        text, clipped = clip_line(text)
        if clipped:
            self.problem(
                "HL100",
                span_at(self.path, number, 1, 1),
                f"line {number} is longer than the {5119} bytes Heartbeat reads at once; the "
                "rest would be read as a new line (only the start is checked here)",
                fix="split or shorten the line",
            )
        stripped = text.lstrip(" \t\f\v")
        if not stripped or stripped[0] == "#":
            return  # a comment: `#` starts one anywhere
        tree = self.parsed.get(text)
        if tree is None:
            tree = self.parsed[text] = self.parse(text)
        if isinstance(tree, Exception):
            problem = unreadable_line("HL100", self.path, number, text, tree, "a directive")
            problem.fix = "delete the line or retype it as `directive value`; comments start with #"
            self.model.problems.append(problem)
            return
        statement = next((c for c in tree.children if hasattr(c, "data")), None)  # type: ignore[attr-defined]
        if statement is not None:
            self.statement(number, statement)

    @staticmethod
    def parse(text: str) -> object:
        """The line's tree, or the grammar's error (a line repeated costs one parse)."""
        try:
            return parser("ha_cf").parse(text)
        except Exception as error:
            from lark.exceptions import UnexpectedInput

            if not isinstance(error, UnexpectedInput):
                raise
            return error

    def statement(self, number: int, tree: Tree) -> None:
        tokens = tree.children
        name = word(tokens[0], self.path, number)  # type: ignore[arg-type]
        args = [word(t, self.path, number) for t in tokens[1:]]  # type: ignore[arg-type]
        end = args[-1].span.end_column if args else name.span.end_column
        line_span = Span.model_construct(
            path=self.path, line=number, column=name.span.column, end_line=number, end_column=end
        )
        known = tree.data != "unknown"
        self.model.directives.append(
            Directive.model_construct(name=name, args=args, span=line_span, known=known)
        )
        if not known:
            self.unknown(name)
            return
        handler = getattr(self, f"do_{name.text}", None)
        if handler is not None:
            handler(name, args, line_span)
        else:
            self.option(name, args)

    # -- unknown names ---------------------------------------------------------------------

    def unknown(self, name: Word) -> None:
        text = name.text
        said = f'Heartbeat: "Illegal directive [{text}] in /etc/ha.d/ha.cf"'
        suggestion: str | None = None
        if text.startswith("\ufeff"):
            why = (
                "the file starts with a UTF-8 byte-order mark (BOM), which Heartbeat reads as "
                "part of the first directive's name"
            )
            suggestion = text.lstrip("\ufeff")
            fix = "save ha.cf without a BOM (e.g. `sed -i '1s/^\\xEF\\xBB\\xBF//' ha.cf`)"
        elif "\u3000" in text or "\u00a0" in text:
            why = (
                "a full-width or non-breaking space is glued to the name; Heartbeat only "
                "separates words with ASCII spaces and tabs"
            )
            suggestion = re.split("[\u3000\u00a0]", text)[0]
            fix = "replace the full-width space with an ordinary space"
        elif text in D.NOT_IN_306:
            why = f"`{text}` is not available in Heartbeat 3.0.6 ({D.NOT_IN_306[text]})"
            fix = "remove the line"
        elif text.startswith(("//", ";", "--")) or text.startswith("[") or ":" in text[-1:]:
            why = (
                "this looks like a comment or a note pasted with the configuration; only # "
                "starts a comment in ha.cf"
            )
            fix = "start the line with # or delete it"
        elif text.lower() in D.ALL_DIRECTIVES:
            why = "directive names are case-sensitive"
            suggestion = text.lower()
            fix = None
        else:
            base = text.split(",")[0]
            if base in D.ALL_DIRECTIVES:
                why = "a comma does not end a directive name"
                suggestion = base
            else:
                close = self.close_directive(text.lower())
                why = "this is not a Heartbeat 3.0.6 directive"
                suggestion = close[0] if close else None
            fix = None
        message = f"unknown directive `{text}`: {why}."
        if suggestion:
            message += f" Did you mean `{suggestion}`?"
            fix = fix or f"write `{suggestion}`"
        self.problem(
            "HL101", name.span, f"{message} {said}", fix=fix or "remove or correct the line"
        )

    def close_directive(self, text: str) -> list[str]:
        """The directive a misspelt name is nearest to. difflib costs a quarter of a
        millisecond a name: past the findings a report shows of one rule, none is sought."""
        from halint.outgoing import MAX_PER_RULE

        self.unknown_names += 1
        if self.unknown_names > MAX_PER_RULE:
            return []
        return _close(text, D.ALL_DIRECTIVES, 0.7)

    def ignored(self, name: Word) -> None:
        """A directive with no value at all: Heartbeat skips the line without a word."""
        self.problem(
            "HL103",
            name.span,
            f"`{name.text}` has no value; Heartbeat silently ignores the line",
            blocks_start=False,
            severity="warning",
            fix=f"give `{name.text}` a value or delete the line",
        )

    # -- option directives -----------------------------------------------------------------

    def option(self, name: Word, args: list[Word]) -> None:
        directive = "pacemaker" if name.text == "crm" else name.text
        if not args:
            self.ignored(name)
            return
        for token in args:
            if self.stopped:
                return
            value = self.option_value(directive, token)
            if value is not None:
                setattr(
                    self.model,
                    directive,
                    Setting.model_construct(
                        directive=directive, raw=token.text, value=value, span=token.span
                    ),
                )

    def option_value(self, directive: str, token: Word) -> int | bool | str | None:
        kind = D.OPTIONS[directive]
        text = token.text
        if kind == "time":
            return self.time_value(directive, token)
        if kind == "bool":
            value = parse_bool(text)
            if value is None:
                self.invalid(
                    directive,
                    token,
                    "not a boolean (Heartbeat takes true/false, on/off, yes/no, y/n, 1/0)",
                    fix=f"write `{directive} on` or `{directive} off`",
                )
            return value
        if kind == "int":
            return self.int_value(directive, token)
        return self.word_value(directive, token)

    def time_value(self, directive: str, token: Word) -> int | None:
        ms = parse_time_ms(token.text)
        heartbeat = f"Warn time [{token.text}] is invalid." if directive == "warntime" else None
        if ms is None:
            unit = re.sub(r"^[0-9.]+", "", token.text)
            if unit and token.text[:1].isdigit():
                why = (
                    f"Heartbeat times take no unit `{unit}`: a bare number is seconds, `ms` "
                    "milliseconds"
                )
                number = token.text[: len(token.text) - len(unit)]
                fix = (
                    f"write `{directive} {number}`"
                    if unit.lower() in ("s", "sec", "secs", "second", "seconds")
                    else f"write the time in seconds or with `ms`, e.g. `{directive} {number}`"
                )
            else:
                why = "not a time (a bare number is seconds, `ms` milliseconds)"
                fix = f"write e.g. `{directive} 10`"
            self.invalid(directive, token, why, heartbeat, fix=fix)
            return None
        if ms < 0:  # only an overflow makes one: C's (long) of a huge double
            self.invalid(
                directive,
                token,
                "a number too large for Heartbeat: its reading of it (a C long of "
                "milliseconds) overflows to a negative time",
                heartbeat,
                fix=f"write the time in seconds, e.g. `{directive} 30`",
            )
            return None
        if ms <= 0 and directive in ("keepalive", "warntime", "conn_logd_time"):
            self.invalid(
                directive,
                token,
                f"{directive} must be greater than zero",
                heartbeat,
                fix=f"give {directive} a positive time",
            )
            return None
        return ms

    def int_value(self, directive: str, token: Word) -> int | None:
        value, clean = atoi(token.text)
        if directive == "baud":
            if not clean or value not in D.BAUD_RATES:
                rates = ", ".join(map(str, D.BAUD_RATES))
                self.invalid(
                    directive,
                    token,
                    f"not a serial speed Heartbeat knows ({rates})",
                    f"heartbeat: invalid baudrate [{token.text}] specified.",
                    fix="write `baud 19200` or another listed rate",
                )
                return None
            return value
        low, high = D.INT_RANGES[directive]
        in_range = value >= low and (high is None or value <= high)
        limits = f"{low}–{high}" if high is not None else f"{low} or more"
        if not in_range:
            heartbeat = {
                "udpport": f"heartbeat: invalid port [{token.text}] specified.",
                "rtprio": f"Illegal realtime priority [{token.text}]",
                "compression_threshold": (
                    f"set_compression_threshold: compress_threshhold({token.text}) invalid"
                ),
                "max_rexmit_delay": f"Invalid max_rexmit_delay time({token.text})",
            }.get(directive)
            read_as = "" if clean else f" (Heartbeat reads it as {value}, C atoi)"
            if len(token.text) > 40:
                heartbeat = None  # the daemon would quote all of it
            self.invalid(
                directive,
                token,
                f"must be {limits}{read_as}",
                heartbeat,
                fix=f"give {directive} a number in {limits}",
            )
            return None
        if not clean:
            self.invalid(
                directive,
                token,
                f"not a plain number; Heartbeat reads it as {value} "
                "(C atoi ignores what follows the digits, and a number beyond its range "
                "wraps around)",
                blocks=False,
                fix=f"write `{directive} {value}`",
            )
        if directive == "udpport" and value > 65535:
            self.invalid(
                directive,
                token,
                f"above 65535, Heartbeat accepts it but the port actually used is {value % 65536}",
                blocks=False,
                fix="use a port from 1 to 65535 (694 is Heartbeat's own)",
            )
        return value

    def word_value(self, directive: str, token: Word) -> str | None:
        text = token.text
        if directive == "node":
            self.add_nodes([token])
            if not self.stopped:
                self.model.nodes.append(token)
            return None
        if directive == "env":
            self.model.env.append(token)
            if text.startswith("="):
                self.invalid(
                    directive,
                    token,
                    "the variable has no name",
                    f"set_env: invalid nvpair({text})",
                    fix="write `env NAME=value`",
                )
            elif "=" not in text:
                self.invalid(
                    directive,
                    token,
                    "no `=value`: Heartbeat accepts it and sets nothing useful",
                    blocks=False,
                    fix=f"write `env {text}=value`",
                )
            return None
        if directive == "coreroot" and not text.startswith("/"):
            self.invalid(
                directive,
                token,
                "not an absolute path",
                f"Invalid dir in cl_set_corerootdir() [{text}]",
                fix="write `coreroot /var/lib/heartbeat/cores` (or leave it out: the default)",
            )
            return None
        if directive == "auto_failback":
            boolean = parse_bool(text)
            if boolean is not None:
                return "on" if boolean else "off"
            if text.lower() == "legacy":
                return "legacy"
            self.invalid(
                directive,
                token,
                "must be on, off or legacy",
                fix="write `auto_failback on` (or off)",
            )
            return None
        if directive == "pacemaker":
            boolean = parse_bool(text)
            if boolean is not None:
                return "true" if boolean else "false"
            if text.lower() in D.PACEMAKER_VALUES:
                return text.lower()
            self.invalid(
                directive,
                token,
                "must be a boolean or one of " + ", ".join(D.PACEMAKER_VALUES),
                fix="write `crm off` or `pacemaker on`",
            )
            return None
        if directive in D.ENUMS:
            allowed, ignore_case = D.ENUMS[directive]
            probe = text.lower() if ignore_case else text
            if probe not in allowed:
                heartbeat = {
                    "logfacility": f"Log facility({text}) not valid",
                    "hbgenmethod": f"Illegal hb generation method [{text}]",
                    "autojoin": f"Invalid autojoin directive [{text}]",
                    "uuidfrom": f"Invalid uuidfrom directive [{text}]",
                    "compression": f"Compression module({text}) not found",
                }.get(directive)
                close = _close(text, allowed, 0.6)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                shown = ", ".join(allowed) if len(allowed) < 8 else "a syslog facility name"
                self.invalid(
                    directive,
                    token,
                    f"must be {shown}{hint}",
                    heartbeat,
                    fix=f"write `{directive} {close[0] if close else allowed[0]}`",
                )
                return None
            return probe
        return text

    # -- media and whole-line directives ---------------------------------------------------

    def missing(
        self, name: Word, span: Span, what: str, heartbeat: str | None, example: str
    ) -> None:
        said = f' Heartbeat: "{heartbeat}"' if heartbeat else ""
        self.problem(
            "HL103",
            span,
            f"`{name.text}` is missing {what}.{said}",
            fix=f"write `{example}`",
            blocks_start=True,
        )

    def _udpport(self) -> int | None:
        return self.model.udpport.value if self.model.udpport else None  # type: ignore[return-value]

    def do_bcast(self, name: Word, args: list[Word], span: Span) -> None:
        if not args:
            self.ignored(name)
            return
        self.add_media(args, whole_line=False)
        self.model.media.append(
            Medium.model_construct(
                kind="bcast", span=span, devices=args, interface=args[0], udpport=self._udpport()
            )
        )

    do_udp = do_bcast

    def do_serial(self, name: Word, args: list[Word], span: Span) -> None:
        if not args:
            self.ignored(name)
            return
        for device in args:
            if not device.text.startswith("/"):
                self.invalid(
                    "serial",
                    device,
                    "the serial port must be given by its full path",
                    f"Serial port not full pathname [{device.text}] in config file",
                    fix=f"write `serial /dev/{device.text}`",
                )
        self.add_media(args, whole_line=False)
        self.model.media.append(Medium.model_construct(kind="serial", span=span, devices=args))

    def do_ping(self, name: Word, args: list[Word], span: Span) -> None:
        if not args:
            self.ignored(name)
        if name.text == "ping6":
            for host in args:
                if is_numeric_address(host.text):
                    self.invalid(
                        "ping6",
                        host,
                        "ping6 takes IPv6 hosts; this is an IPv4 address",
                        f"Illegal ping6 [ping6 membership] in config file [{host.text}]",
                        fix=f"write `ping {host.text}`",
                    )
        for host in args:  # each host is a node and a medium; the daemon says the media first
            self.add_media([host], whole_line=False)
            if self.stopped:
                break
            self.add_nodes([host], name.text)
            if self.stopped:
                break
        self.model.ping_nodes.extend(args)

    do_ping6 = do_ping

    def do_ucast(self, name: Word, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            heartbeat = (
                f"ucast: [{args[0].text}] missing target IP address/hostname" if args else None
            )
            self.missing(
                name,
                span,
                "its target address" if args else "an interface and a target address",
                heartbeat,
                f"{name.text} eth0 192.168.0.2",
            )
            return
        target = args[1]
        if name.text == "ucast":
            self.check_ipv4(name.text, target, "target")
        else:
            self._check_ucast6_target(args[0], target)
        self.add_media([target], whole_line=True)
        self.model.media.append(
            Medium.model_construct(
                kind=name.text, span=span, interface=args[0], target=target, udpport=self._udpport()
            )
        )

    do_ucast6 = do_ucast

    def _check_ucast6_target(self, interface: Word, target: Word) -> None:
        """ucast6 takes a numeric IPv6 address (a scope such as %eth0 allowed) and resolves no
        names; loopback, unspecified and multicast addresses are refused too (observed)."""
        import ipaddress

        try:
            address: ipaddress.IPv6Address | None = ipaddress.IPv6Address(target.text)
        except ValueError:
            address = None
        if address is None:
            why = "not an IPv6 address (ucast6 resolves no host names, and takes no IPv4)"
        elif address.is_loopback or address.is_unspecified:
            why = "the loopback or unspecified address, not the peer's"
        elif address.is_multicast:
            why = "a multicast address (that is mcast6's)"
        else:
            return
        self.invalid(
            "ucast6",
            target,
            why,
            f"glib: ucast6 [{interface.text}] bad addr [{target.text}]",
            fix=f"write the peer's IPv6 address: `ucast6 {interface.text} fe80::2`",
        )

    def do_mcast(self, name: Word, args: list[Word], span: Span) -> None:
        fields = ("an interface", "a multicast group", "a port", "a ttl", "a loop flag")
        if len(args) < 5:
            missing = ", ".join(fields[len(args) :])
            heartbeat = (
                f"{name.text} [{args[0].text}] missing "
                + ("mcast address" if len(args) == 1 else ("port", "ttl", "loop")[len(args) - 2])
                if args
                else None
            )
            self.missing(name, span, missing, heartbeat, f"{name.text} eth0 239.0.0.1 694 1 0")
            if not args:
                return
            # Still a medium: the daemon opens the interface before it reads the other fields,
            # so a missing interface is the first thing it says (HL605 needs the medium).
        elif name.text == "mcast":
            self.check_ipv4(name.text, args[1], "group")
        interface, group, port, ttl, loop = [*args, None, None, None, None][:5]
        self.add_media([args[0]], whole_line=True)
        self.model.media.append(
            Medium.model_construct(
                kind=name.text,
                span=span,
                interface=interface,
                group=group,
                port=port,
                ttl=ttl,
                loop=loop,
            )
        )

    do_mcast6 = do_mcast

    def check_ipv4(self, directive: str, token: Word, role: str) -> None:
        if not is_numeric_address(token.text):
            return  # a host name: resolved by the daemon
        if directive == "ucast":
            self._check_inet_aton(token, role)
            return
        import ipaddress

        try:
            ipaddress.IPv4Address(token.text)
        except ValueError:
            self.invalid(
                directive,
                token,
                f"the {role} is not a valid IPv4 address",
                fix=f"correct the {role} address",
            )

    def _check_inet_aton(self, token: Word, role: str) -> None:
        """ucast resolves its target with the C library, which reads numbers as inet_aton
        does: `192.168.1` is 192.168.0.1, and a leading zero means octal. (The C module
        `_socket`: the `socket` wrapper costs a pre-commit run 1.5 ms to import.)"""
        import _socket

        try:
            canonical = _socket.inet_ntoa(_socket.inet_aton(token.text))
        except OSError:
            self.invalid(
                "ucast",
                token,
                f"the {role} is not a valid IPv4 address",
                "ucast: cannot resolve hostname",
                fix=f"correct the {role} address",
            )
            return
        if canonical != token.text:
            self.invalid(
                "ucast",
                token,
                f"Heartbeat reads this as {canonical} (C inet_aton: missing parts fill the "
                "last one, a leading zero means octal)",
                blocks=False,
                fix=f"write `{canonical}` if that is what you mean",
            )

    def do_ping_group(self, name: Word, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            self.missing(
                name,
                span,
                "a group name and at least one host" if not args else "at least one host",
                None,
                "ping_group gw 192.168.0.1 192.168.0.254",
            )
            return
        self.add_media([args[0]], whole_line=True)
        if not self.stopped:
            self.add_nodes([args[0]])
        self.model.ping_groups.append(
            PingGroup.model_construct(name=args[0], hosts=args[1:], span=span)
        )

    def do_respawn(self, name: Word, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            self.missing(
                name,
                span,
                "a user and a program" if not args else "the program to run",
                None,
                f"{name.text} hacluster /usr/libexec/heartbeat/ipfail",
            )
            return
        user, command = args[0], args[1]
        if user.text.isdigit():
            self.invalid(
                name.text,
                user,
                "the user must be a login name; Heartbeat rejects numeric ids",
                f"Invalid uid [{user.text}] specified for client child",
                fix=f"write the user's name, e.g. `{name.text} hacluster {command.text}`",
            )
        if not command.text.startswith("/"):
            self.invalid(
                name.text,
                command,
                "the program must be given by its full path",
                f"Client child command [{command.text}] is not full pathname",
                fix="write the absolute path of the program",
            )
        rest = " ".join(a.text for a in args[2:])
        self.model.respawns.append(
            Respawn.model_construct(
                user=user,
                command=command,
                arguments=rest,
                failfast=name.text == "failfast",
                span=span,
            )
        )

    do_failfast = do_respawn

    def do_apiauth(self, name: Word, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            self.missing(
                name,
                span,
                "a client and a uid= or gid= list" if not args else "a uid= or gid= list",
                "Missing uid or gid in apiauth",
                "apiauth ipfail uid=hacluster",
            )
            return
        auth = ApiAuth.model_construct(client=args[0], span=span)
        raw = " ".join(a.text for a in args)
        if len(args[0].text) >= 32:
            self.invalid(
                "apiauth",
                args[0],
                "the client name is longer than 31 characters",
                f"client name [{raw}] too long",
                fix="use the client's real (short) name",
            )
        seen: set[str] = set()
        for arg in args[1:]:
            key, sep, value = arg.text.partition("=")
            if sep and key in ("uid", "gid"):
                if key in seen:
                    self.invalid(
                        "apiauth",
                        arg,
                        f"a second {key}= list on one line",
                        f"Duplicate {key} list in apiauth",
                        fix=f"join them: `{key}=a,b`",
                    )
                seen.add(key)
                if not value:
                    self.invalid(
                        "apiauth",
                        arg,
                        f"an empty {key}= list: Heartbeat accepts it and authorises nobody by it",
                        blocks=False,
                        fix=f"name the {'users' if key == 'uid' else 'groups'}, or drop it",
                    )
                    continue
                target = auth.uids if key == "uid" else auth.gids
                for part in value.split(","):
                    target.append(Word.model_construct(text=part, span=arg.span))
            else:
                self.invalid(
                    "apiauth",
                    arg,
                    "expected uid=LIST or gid=LIST",
                    f"Invalid apiauth directive [{' '.join(a.text for a in args)}]",
                    fix="write `apiauth CLIENT uid=USER gid=GROUP`",
                )
        self.model.apiauths.append(auth)

    def do_stonith(self, name: Word, args: list[Word], span: Span) -> None:
        if name.text == "stonith" and len(args) == 1:
            # The daemon checks the type first (HL614), then opens a file it never got: it
            # names whatever its buffer held before ("Invalid Stonith config file [192.168.1.2]").
            self.problem(
                "HL103",
                span,
                f"`stonith {args[0].text}` names no configuration file for the device. "
                'Heartbeat: "Invalid Stonith config file [...]"',
                fix=f"write `stonith {args[0].text} /etc/ha.d/stonith.cfg` (that file holds the "
                "device's parameters)",
                blocks_start=True,
            )
            self.model.stonith.append(Directive.model_construct(name=name, args=args, span=span))
            return
        need = 2
        if len(args) < need:
            self.missing(
                name,
                span,
                "its type and parameters",
                "No Stonith type given",
                "stonith_host * meatware"
                if name.text == "stonith_host"
                else "stonith baytech /etc/ha.d/conf/stonith.baytech",
            )
            return
        if name.text == "stonith_host" and len(args) < 3:
            # Lines for other hosts are skipped by the daemon; `*` applies everywhere.
            self.problem(
                "HL103",
                span,
                f"`stonith_host {' '.join(a.text for a in args)}` has no parameters for the "
                'device. Heartbeat: "Invalid Stonith configuration parameter []"'
                + ("" if args[0].text == "*" else f" (on {args[0].text}, the node it names)"),
                fix=f"add the device's parameters: `stonith_host {args[0].text} {args[1].text} "
                "<parameters>` (`stonith -t TYPE -n` lists them)",
                blocks_start=args[0].text == "*",
            )
        target = self.model.stonith if name.text == "stonith" else self.model.stonith_hosts
        target.append(Directive.model_construct(name=name, args=args, span=span))

    do_stonith_host = do_stonith


def read_hacf(source: SourceFile) -> HaCf:
    builder = _HaCfBuilder(source.path)
    for index, raw in enumerate(source.lines):
        builder.read_line(index + 1, raw)
        if builder.stopped:
            break
    else:
        too_large(builder.model.problems, "HL100", source)
    return builder.model

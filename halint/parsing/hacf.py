"""Build the HaCf model from ha.cf, reading each directive as Heartbeat 3.0.6 does.

The reader only reads: each line is parsed by the grammar and turned by a Transformer into the
directive's name and words; each option value becomes a typed setting, or an `Unparsed` fact
saying why Heartbeat does not take it as written. The rules in halint/checks/ judge those facts
(HL100-HL103, HL107: halint/checks/hacf_values.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lark import Token, Transformer

from halint import directives as D
from halint.grammar import parser
from halint.models import (
    ApiAuth,
    BoolSetting,
    Directive,
    HaCf,
    IntSetting,
    Medium,
    PingGroup,
    Respawn,
    Setting,
    Span,
    TimeSetting,
    Unparsed,
    UnparsedReason,
    Word,
    WordSetting,
)
from halint.parsing.common import clip_line, span_at, word
from halint.values import atoi, parse_bool, parse_time_ms

if TYPE_CHECKING:
    from lark import Tree
    from lark.exceptions import UnexpectedInput

    from halint.sources import SourceFile


class Line:
    """A directive line as the grammar reads it: which kind of directive, its name, its words
    (lark tokens: their columns are the line's)."""

    __slots__ = ("args", "kind", "name")

    def __init__(self, kind: str, children: list[Token]) -> None:
        self.kind = kind  # option, token_medium, line_directive or unknown
        self.name = children[0]
        self.args = children[1:]


class _ToLine(Transformer[Token, "Line | None"]):
    """The ha_cf grammar's tree -> the line's directive (None for a blank or comment line)."""

    def start(self, children: list[Line | Token]) -> Line | None:
        return next((c for c in children if isinstance(c, Line)), None)

    def option(self, children: list[Token]) -> Line:
        return Line("option", children)

    def token_medium(self, children: list[Token]) -> Line:
        return Line("token_medium", children)

    def line_directive(self, children: list[Token]) -> Line:
        return Line("line_directive", children)

    def unknown(self, children: list[Token]) -> Line:
        return Line("unknown", children)


_TO_LINE = _ToLine()


def parse_line(text: str) -> Line | UnexpectedInput | None:
    """The line's directive, or the grammar's error."""
    from lark.exceptions import UnexpectedInput

    try:
        tree: Tree[Token] = parser("ha_cf").parse(text)
    except UnexpectedInput as error:
        return error
    return _TO_LINE.transform(tree)


class _HaCfBuilder:
    def __init__(self, path: str) -> None:
        self.model = HaCf.model_construct(path=path)
        self.path = path
        self.nodes = 0  # as Heartbeat counts them: ping nodes and groups too
        self.media = 0
        self.stopped = False  # past one of Heartbeat's limits: the rest is not read
        self.parsed: dict[str, Line | UnexpectedInput | None] = {}  # a line's text -> its read

    def unparsed(
        self, reason: UnparsedReason, token: Word, directive: str = "", read_as: int | None = None
    ) -> None:
        self.model.unparsed.append(Unparsed(reason, token, directive, read_as))

    # -- Heartbeat's limits ------------------------------------------------------------------

    def add_nodes(self, words: list[Word], kind: str = "node") -> None:
        for token in words:
            self.nodes += 1
            if self.nodes > D.MAX_NODES:
                self.unparsed("too-many-nodes", token, kind, self.nodes)
                self.stopped = True
                return

    def add_media(self, words: list[Word], whole_line: bool) -> None:
        """Count media as the daemon does. bcast, serial and ping take theirs one word at a
        time and refuse the 65th; ucast and mcast lines are stored without a check: the 65th
        is never started, a 66th overruns the table and the daemon crashes (oracle)."""
        for token in words:
            self.media += 1
            if self.media <= D.MAX_MEDIA:
                continue
            if not whole_line:
                self.unparsed("too-many-media", token, read_as=self.media)
                self.stopped = True
            elif self.media == D.MAX_MEDIA + 1:
                self.unparsed("medium-never-run", token, read_as=self.media)
            else:
                self.unparsed("media-overrun", token, read_as=self.media)
                self.stopped = True
            return

    # -- lines -----------------------------------------------------------------------------

    def read_line(self, number: int, raw: str) -> None:
        text = raw.split("\r", 1)[0]
        if "\x00" in text:
            cut = text.index("\x00")
            if text[cut:].strip("\x00 \t"):
                self.unparsed("nul-byte", self.at(number, cut + 1, "\x00"))
            text = text[:cut]
        text, clipped = clip_line(text)
        if clipped:
            self.unparsed("line-too-long", self.at(number, 1, ""))
        stripped = text.lstrip(" \t\f\v")
        if not stripped or stripped[0] == "#":
            return  # a comment: `#` starts one anywhere
        line = self.parsed.get(text)
        if line is None and text not in self.parsed:
            line = self.parsed[text] = parse_line(text)
        if isinstance(line, Line):
            self.statement(number, line)
        elif line is not None:
            self.unreadable(number, text, line)

    def at(self, number: int, column: int, text: str) -> Word:
        return Word.model_construct(text=text, span=span_at(self.path, number, column, 1))

    def unreadable(self, number: int, text: str, error: UnexpectedInput) -> None:
        """Where the grammar stopped, and on what."""
        from lark.exceptions import UnexpectedCharacters, UnexpectedToken

        column = getattr(error, "column", 1) or 1
        reason: UnparsedReason = "unreadable"
        found = ""
        if isinstance(error, UnexpectedCharacters) and 0 < column <= len(text):
            reason, found = "unreadable-character", text[column - 1]
        elif isinstance(error, UnexpectedToken) and error.token is not None:
            if error.token.type == "$END":
                reason = "unreadable-end"
            else:
                reason, found = "unreadable-token", str(error.token)
        self.unparsed(reason, self.at(number, column, found))

    def statement(self, number: int, line: Line) -> None:
        name = word(line.name, self.path, number)
        args = [word(t, self.path, number) for t in line.args]
        end = args[-1].span.end_column if args else name.span.end_column
        line_span = Span.model_construct(
            path=self.path, line=number, column=name.span.column, end_line=number, end_column=end
        )
        known = line.kind != "unknown"
        self.model.directives.append(
            Directive.model_construct(name=name, args=args, span=line_span, known=known)
        )
        if not known:
            return
        directive = name.text
        if line.kind == "option":
            self.option(directive, args)
        elif directive in ("bcast", "udp"):
            self.bcast(args, line_span)
        elif directive == "serial":
            self.serial(args, line_span)
        elif directive in ("ping", "ping6"):
            self.ping(directive, args)
        elif directive in ("ucast", "ucast6"):
            self.ucast(directive, args, line_span)
        elif directive in ("mcast", "mcast6"):
            self.mcast(directive, args, line_span)
        elif directive == "ping_group":
            self.ping_group(args, line_span)
        elif directive in ("respawn", "failfast"):
            self.respawn(directive, args, line_span)
        elif directive == "apiauth":
            self.apiauth(args, line_span)
        else:
            self.stonith(name, args, line_span)

    # -- option directives -----------------------------------------------------------------

    def option(self, name: str, args: list[Word]) -> None:
        directive = "pacemaker" if name == "crm" else name
        for token in args:
            if self.stopped:
                return
            setting = self.option_value(directive, token)
            if setting is not None:
                self.model.values.append(setting)
                self.model.applied[directive] = setting

    def option_value(self, directive: str, token: Word) -> Setting | None:
        kind = D.OPTIONS[directive]
        if kind == "time":
            return self.time_value(directive, token)
        if kind == "bool":
            value = parse_bool(token.text)
            if value is None:
                self.unparsed("not-a-boolean", token, directive)
                return None
            return BoolSetting(directive, token.text, token.span, value)
        if kind == "int":
            return self.int_value(directive, token)
        return self.word_value(directive, token)

    def time_value(self, directive: str, token: Word) -> TimeSetting | None:
        ms = parse_time_ms(token.text)
        if ms is None:
            self.unparsed("not-a-time", token, directive)
        elif ms < 0:  # only an overflow makes one: C's (long) of a huge double
            self.unparsed("time-overflow", token, directive)
        elif ms == 0 and directive in D.POSITIVE_TIMES:
            self.unparsed("not-positive", token, directive)
        else:
            return TimeSetting(directive, token.text, token.span, ms)
        return None

    def int_value(self, directive: str, token: Word) -> IntSetting | None:
        value, clean = atoi(token.text)
        if directive == "baud":
            if not clean or value not in D.BAUD_RATES:
                self.unparsed("not-a-baud-rate", token, directive)
                return None
        else:
            low, high = D.INT_RANGES[directive]
            if value < low or (high is not None and value > high):
                self.unparsed("out-of-range", token, directive, None if clean else value)
                return None
        return IntSetting(directive, token.text, token.span, value, clean)

    def word_value(self, directive: str, token: Word) -> WordSetting | None:
        text = token.text
        if directive == "node":
            self.add_nodes([token])
            if not self.stopped:
                self.model.nodes.append(token)
            return None
        if directive == "env":
            self.model.env.append(token)
            return None
        value: str | None = text
        if directive == "coreroot" and not text.startswith("/"):
            self.unparsed("not-absolute", token, directive)
            return None
        if directive == "auto_failback":
            boolean = parse_bool(text)
            value = (
                ("on" if boolean else "off")
                if boolean is not None
                else ("legacy" if text.lower() == "legacy" else None)
            )
        elif directive == "pacemaker":
            boolean = parse_bool(text)
            value = (
                ("true" if boolean else "false")
                if boolean is not None
                else (text.lower() if text.lower() in D.PACEMAKER_VALUES else None)
            )
        elif directive in D.ENUMS:
            allowed, ignore_case = D.ENUMS[directive]
            probe = text.lower() if ignore_case else text
            value = probe if probe in allowed else None
        if value is None:
            self.unparsed("not-a-choice", token, directive)
            return None
        return WordSetting(directive, text, token.span, value)

    # -- media and whole-line directives ---------------------------------------------------

    def _udpport(self) -> int | None:
        return self.model.udpport.value if self.model.udpport else None

    def bcast(self, args: list[Word], span: Span) -> None:
        if not args:
            return
        self.add_media(args, whole_line=False)
        self.model.media.append(
            Medium.model_construct(
                kind="bcast", span=span, devices=args, interface=args[0], udpport=self._udpport()
            )
        )

    def serial(self, args: list[Word], span: Span) -> None:
        if not args:
            return
        self.add_media(args, whole_line=False)
        self.model.media.append(Medium.model_construct(kind="serial", span=span, devices=args))

    def ping(self, name: str, args: list[Word]) -> None:
        for host in args:  # each host is a node and a medium; the daemon says the media first
            self.add_media([host], whole_line=False)
            if self.stopped:
                break
            self.add_nodes([host], name)
            if self.stopped:
                break
        self.model.ping_nodes.extend(args)

    def ucast(self, name: str, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            return
        target = args[1]
        self.add_media([target], whole_line=True)
        self.model.media.append(
            Medium.model_construct(
                kind=name, span=span, interface=args[0], target=target, udpport=self._udpport()
            )
        )

    def mcast(self, name: str, args: list[Word], span: Span) -> None:
        if not args:
            return
        # Still a medium with fields missing: the daemon opens the interface before it reads
        # the other fields, so a missing interface is the first thing it says (HL605).
        interface, group, port, ttl, loop = [*args, None, None, None, None][:5]
        self.add_media([args[0]], whole_line=True)
        self.model.media.append(
            Medium.model_construct(
                kind=name,
                span=span,
                interface=interface,
                group=group,
                port=port,
                ttl=ttl,
                loop=loop,
            )
        )

    def ping_group(self, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            return
        self.add_media([args[0]], whole_line=True)
        if not self.stopped:
            self.add_nodes([args[0]])
        self.model.ping_groups.append(
            PingGroup.model_construct(name=args[0], hosts=args[1:], span=span)
        )

    def respawn(self, name: str, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            return
        self.model.respawns.append(
            Respawn.model_construct(
                user=args[0],
                command=args[1],
                arguments=" ".join(a.text for a in args[2:]),
                failfast=name == "failfast",
                span=span,
            )
        )

    def apiauth(self, args: list[Word], span: Span) -> None:
        if len(args) < 2:
            return
        auth = ApiAuth.model_construct(client=args[0], span=span)
        seen: set[str] = set()
        for arg in args[1:]:
            key, sep, value = arg.text.partition("=")
            if not sep or key not in ("uid", "gid"):
                self.unparsed("not-a-list", arg, "apiauth")
                continue
            if key in seen:
                self.unparsed("second-list", arg, "apiauth")
            seen.add(key)
            if not value:
                self.unparsed("empty-list", arg, "apiauth")
                continue
            target = auth.uids if key == "uid" else auth.gids
            for part in value.split(","):
                target.append(Word.model_construct(text=part, span=arg.span))
        self.model.apiauths.append(auth)

    def stonith(self, name: Word, args: list[Word], span: Span) -> None:
        if name.text == "stonith" and len(args) == 1:
            self.model.stonith.append(Directive.model_construct(name=name, args=args, span=span))
            return
        if len(args) < 2:
            return
        target = self.model.stonith if name.text == "stonith" else self.model.stonith_hosts
        target.append(Directive.model_construct(name=name, args=args, span=span))


def read_hacf(source: SourceFile) -> HaCf:
    builder = _HaCfBuilder(source.path)
    for index, raw in enumerate(source.lines):
        builder.read_line(index + 1, raw)
        if builder.stopped:
            break
    else:
        if source.facts.truncated:
            line = max(len(source.lines), 1)
            builder.unparsed("file-too-large", builder.at(line, 1, ""))
    return builder.model

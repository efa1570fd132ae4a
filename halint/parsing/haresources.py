"""Build the HaResources model, reading the file as ResourceManager does at run time.

The reader records facts only: the groups as parsed, the owners Heartbeat's start-up check
reads, and each place it could not take as ResourceManager's syntax with the reason why
(`HaResources.misread`); HL300 (checks/haresources.py) judges those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lark import Transformer

from halint.grammar import parser
from halint.models import HaResources, IpSpec, Misread, Resource, ResourceGroup, Span, Word
from halint.parsing.common import span_at
from halint.regex import compiled

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput

    from halint.sources import SourceFile

# ResourceManager's shell pattern for the IP shorthand: [0-9]*.[0-9]*.[0-9]*.[0-9]*
_IP_SHORTHAND = compiled(r"^[0-9][^.]*(\.[0-9][^.]*){3}")
_IP_AGENTS = ("IPaddr", "IPaddr2")
_ASCII_BLANKS = compiled(r"[ \t\r\f\v]+")


class _Piece:
    """A run of a logical line that comes from one physical line."""

    __slots__ = ("column", "line", "offset", "text")

    def __init__(self, line: int, column: int, offset: int, text: str) -> None:
        self.line = line
        self.column = column  # column of the piece's first character on that physical line
        self.offset = offset  # where the piece starts in the logical line
        self.text = text


def _offset_of(piece: _Piece) -> int:
    return piece.offset


def _logical_lines(lines: list[str], path: str, misread: list[Misread]) -> list[list[_Piece]]:
    """Join backslash continuations the way ResourceManager's sed does: no space inserted."""
    groups: list[list[_Piece]] = []
    current: list[_Piece] = []
    offset = 0
    for index, raw in enumerate(lines):
        number = index + 1
        text = raw
        continued = bool(current)
        if not continued:
            cut = text.find("#")
            if cut >= 0:
                text = text[:cut]
        elif "#" in text:
            cut = text.find("#")
            misread.append(Misread("comment-in-group", span_at(path, number, cut + 1, 1)))
            text = text[:cut]
        if text.endswith("\\"):
            current.append(_Piece(number, 1, offset, text[:-1]))
            offset += len(text) - 1
            continue
        if text.rstrip(" \t\r").endswith("\\"):
            column = len(text.rstrip(" \t\r"))
            misread.append(Misread("blank-after-backslash", span_at(path, number, column, 1)))
        current.append(_Piece(number, 1, offset, text))
        groups.append(current)
        current, offset = [], 0
    if current:
        last = current[-1]
        span = span_at(path, last.line, len(last.text) + 1, 1)
        misread.append(Misread("dangling-backslash", span))
        groups.append(current)
    return groups


def _locate(pieces: list[_Piece], path: str, start: int, length: int) -> Span:
    """Where offset `start` of a logical line is: the last piece starting at or before it
    (a binary search: a group continued over thousands of lines stays linear)."""
    import bisect

    at = bisect.bisect_right(pieces, start, key=_offset_of) - 1
    piece = pieces[max(at, 0)]
    column = piece.column + start - piece.offset
    return Span.model_construct(
        path=path, line=piece.line, column=column, end_line=piece.line, end_column=column + length
    )


def _ip_spec(argument: Word) -> IpSpec:
    # The wrapper splits on `/` the way the shell does with IFS: empty fields disappear.
    column = argument.span.column
    words: list[Word] = []
    for field in argument.text.split("/"):
        if field or not words:
            span = Span.model_construct(
                path=argument.span.path,
                line=argument.span.line,
                column=column,
                end_line=argument.span.line,
                end_column=column + len(field),
            )
            words.append(Word.model_construct(text=field, span=span))
        column += len(field) + 1
    address = words[0]
    netmask = words[1] if len(words) > 1 else None
    interface = broadcast = None
    if len(words) > 2:
        if words[2].text[:1].isdigit():
            broadcast = words[2]
        elif words[2].text:
            interface = words[2]
            broadcast = words[3] if len(words) > 3 else None
    return IpSpec.model_construct(
        address=address, netmask=netmask, interface=interface, broadcast=broadcast
    )


_Read = Word | Resource | ResourceGroup | None  # what each rule of the grammar becomes


class _GroupReader(Transformer["Token", ResourceGroup | None]):
    """One logical line of haresources (grammars/haresources.lark) as a typed ResourceGroup;
    each position is mapped back to its physical line."""

    def __init__(self, path: str, misread: list[Misread]) -> None:
        super().__init__(visit_tokens=False)
        self.path = path
        self.misread = misread
        self.pieces: list[_Piece] = []  # the logical line being read

    def _word(self, token: Token) -> Word:
        span = _locate(self.pieces, self.path, token.start_pos or 0, len(token))
        return Word.model_construct(text=str(token), span=span)

    def start(self, children: list[_Read | Token]) -> ResourceGroup | None:
        return next((c for c in children if isinstance(c, ResourceGroup)), None)

    def owner(self, tokens: list[Token]) -> Word:
        return self._word(tokens[0])

    def group(self, children: list[Word | Resource]) -> ResourceGroup:
        owner = children[0]
        assert isinstance(owner, Word)
        resources = [r for r in children[1:] if isinstance(r, Resource)]
        last = resources[-1].span if resources else owner.span
        span = Span.model_construct(
            path=self.path,
            line=owner.span.line,
            column=owner.span.column,
            end_line=last.line,
            end_column=last.end_column,
        )
        return ResourceGroup.model_construct(owner=owner, resources=resources, span=span)

    def resource(self, tokens: list[Token]) -> Resource:
        start = tokens[0].start_pos or 0
        end = tokens[-1].end_pos or start
        span = _locate(self.pieces, self.path, start, end - start)
        parts: list[Word | None] = [None]
        for token in tokens:
            if token.type == "DCOLON":
                parts.append(None)
            else:
                parts[-1] = self._word(token)
        text = "".join(str(t) for t in tokens)
        head = parts[0]
        if head is None or any(p is None for p in parts[1:]):
            self.misread.append(Misread("empty-part", span, text))
        args = [p for p in parts[1:] if p is not None]
        if head is not None and len(parts) == 1 and _IP_SHORTHAND.match(head.text):
            return Resource.model_construct(
                text=text, agent="IPaddr", args=[head], shorthand=True, ip=_ip_spec(head), span=span
            )
        agent = head.text if head is not None else ""
        ip = _ip_spec(args[0]) if agent in _IP_AGENTS and args else None
        return Resource.model_construct(text=text, agent=agent, args=args, ip=ip, span=span)


def _startup_owners(lines: list[str], path: str) -> list[Word]:
    """The first word of each line as heartbeat's start-up check reads it: leading blanks and
    `#` lines skipped, and after a line ending in a backslash the following lines skipped as long
    as they end in one too (a CR or a blank after the backslash is no continuation)."""
    owners: list[Word] = []
    skipping = False
    for index, raw in enumerate(lines):
        if skipping:
            skipping = raw.endswith("\\")
            continue
        skipping = raw.endswith("\\")
        stripped = raw.lstrip(" \t\f\v\r")
        if not stripped or stripped.startswith("#"):
            continue
        first = _ASCII_BLANKS.split(stripped, 1)[0]  # U+3000 is no separator for Heartbeat
        column = len(raw) - len(stripped) + 1
        owners.append(
            Word.model_construct(text=first, span=span_at(path, index + 1, column, len(first)))
        )
    return owners


def _nul_byte(lines: list[str], path: str) -> Misread | None:
    """A NUL byte anywhere: ResourceManager looks each group up with grep, and GNU grep takes
    the whole file for a binary one (run on ResourceManager's own pipeline here)."""
    for index, line in enumerate(lines):
        cut = line.find("\x00")
        if cut >= 0:
            return Misread("nul", span_at(path, index + 1, cut + 1, 1))
    return None


def _unreadable(error: UnexpectedInput, text: str, pieces: list[_Piece], path: str) -> Misread:
    """Where and why the grammar could not take a logical line."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    column = getattr(error, "column", 1) or 1
    span = _locate(pieces, path, column - 1, 1)
    if isinstance(error, UnexpectedCharacters) and 0 < column <= len(text):
        return Misread("bad-character", span, text[column - 1])
    if isinstance(error, UnexpectedToken) and error.token is not None:
        if error.token.type == "$END":
            return Misread("unexpected-end", span)
        return Misread("unexpected-token", span, str(error.token))
    return Misread("unreadable", span)


def read_haresources(source: SourceFile) -> HaResources:
    from lark.exceptions import UnexpectedInput

    path = source.path
    model = HaResources.model_construct(path=path, line_count=len(source.lines))
    nul = _nul_byte(source.lines, path) if source.facts.has_nul else None
    if nul is not None:
        model.misread.append(nul)
    model.startup_owners = _startup_owners(source.lines, path)
    reader = _GroupReader(path, model.misread)
    for pieces in _logical_lines(source.lines, path, model.misread):
        text = "".join(p.text for p in pieces)
        if not text.strip(" \t\f\v\r"):
            continue
        try:
            tree = parser("haresources").parse(text)
        except UnexpectedInput as error:
            model.misread.append(_unreadable(error, text, pieces, path))
            continue
        reader.pieces = pieces
        group = reader.transform(tree)
        if group is not None:
            model.groups.append(group)
    return model

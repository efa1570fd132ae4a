"""Build the HaResources model, reading the file as ResourceManager does at run time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from halint.grammar import parser
from halint.models import HaResources, IpSpec, Problem, Resource, ResourceGroup, Span, Word
from halint.parsing.common import span_at, too_large, unreadable_line

if TYPE_CHECKING:
    from halint.sources import SourceFile

# ResourceManager's shell pattern for the IP shorthand: [0-9]*.[0-9]*.[0-9]*.[0-9]*
_IP_SHORTHAND = re.compile(r"^[0-9][^.]*(\.[0-9][^.]*){3}")
_IP_AGENTS = ("IPaddr", "IPaddr2")
_ASCII_BLANKS = re.compile(r"[ \t\r\f\v]+")


@dataclass(slots=True)
class _Piece:
    """A run of a logical line that comes from one physical line."""

    line: int
    column: int  # column of the piece's first character on that physical line
    offset: int  # where the piece starts in the logical line
    text: str


def _offset_of(piece: _Piece) -> int:
    return piece.offset


def _logical_lines(lines: list[str], path: str, problems: list[Problem]) -> list[list[_Piece]]:
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
            problems.append(
                Problem.model_construct(
                    rule="HL300",
                    span=span_at(path, number, cut + 1, 1),
                    message="a `#` inside a continued group is not a comment for ResourceManager: "
                    "it and the words after it become resources",
                    fix="move the comment above the group, or end the previous line without `\\`",
                )
            )
            text = text[:cut]
        if text.endswith("\\"):
            current.append(_Piece(number, 1, offset, text[:-1]))
            offset += len(text) - 1
            continue
        if text.rstrip(" \t\r").endswith("\\"):
            problems.append(
                Problem.model_construct(
                    rule="HL300",
                    span=span_at(path, number, len(text.rstrip(" \t\r")), 1),
                    message="blanks or a CR after the continuation backslash: neither Heartbeat "
                    "nor ResourceManager sees a continuation here, so the next line is read as a "
                    "new group and the `\\` becomes part of a resource",
                    fix="delete what follows the backslash (and save the file with LF line ends)",
                )
            )
        current.append(_Piece(number, 1, offset, text))
        groups.append(current)
        current, offset = [], 0
    if current:
        last = current[-1]
        problems.append(
            Problem.model_construct(
                rule="HL300",
                span=span_at(path, last.line, len(last.text) + 1, 1),
                message="the last line ends with a continuation backslash but no line follows",
                fix="delete the trailing `\\`",
            )
        )
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


def _resource(tokens: list, pieces: list[_Piece], path: str, problems: list[Problem]) -> Resource:
    start = tokens[0].start_pos
    end = tokens[-1].end_pos
    span = _locate(pieces, path, start, end - start)
    parts: list[Word | None] = [None]
    for token in tokens:
        if token.type == "DCOLON":
            parts.append(None)
        else:
            parts[-1] = Word.model_construct(
                text=str(token), span=_locate(pieces, path, token.start_pos, len(token))
            )
    text = "".join(str(t) for t in tokens)
    head = parts[0]
    if head is None or any(p is None for p in parts[1:]):
        problems.append(
            Problem.model_construct(
                rule="HL300",
                span=span,
                message=f"`{text}` has an empty part: `::` must sit between a script name and an "
                "argument, or between two arguments",
                fix="remove the doubled or dangling `::`",
            )
        )
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


def _nul_byte(lines: list[str], path: str) -> Problem | None:
    """A NUL byte anywhere: ResourceManager looks each group up with grep, and GNU grep takes
    the whole file for a binary one (run on ResourceManager's own pipeline here)."""
    for index, line in enumerate(lines):
        cut = line.find("\x00")
        if cut >= 0:
            return Problem.model_construct(
                rule="HL300",
                span=span_at(path, index + 1, cut + 1, 1),
                message="a NUL byte: ResourceManager finds a resource group with grep, which "
                'then takes the whole file for binary and answers "binary file matches" '
                "instead of the group's line, for every group of this file: none is started "
                "at takeover",
                fix="remove the NUL byte (e.g. `tr -d '\\000' < haresources`)",
                blocks_start=False,
            )
    return None


def read_haresources(source: SourceFile) -> HaResources:
    model = HaResources.model_construct(path=source.path)
    path = source.path
    nul = _nul_byte(source.lines, path) if source.facts.has_nul else None
    if nul is not None:
        model.problems.append(nul)
    model.startup_owners = _startup_owners(source.lines, path)
    for pieces in _logical_lines(source.lines, path, model.problems):
        text = "".join(p.text for p in pieces)
        if not text.strip(" \t\f\v\r"):
            continue
        try:
            tree = parser("haresources").parse(text)
        except Exception as error:
            from lark.exceptions import UnexpectedInput

            if not isinstance(error, UnexpectedInput):
                raise
            problem = unreadable_line(
                "HL300", path, pieces[0].line, text, error, "a resource group"
            )
            column = problem.span.column
            problem.span = _locate(pieces, path, column - 1, 1)
            problem.fix = "write `node resource [resource ...]`, one group per line"
            model.problems.append(problem)
            continue
        group_tree = next((c for c in tree.children if getattr(c, "data", None) == "group"), None)
        if group_tree is None:
            continue
        owner_token = group_tree.children[0].children[0]
        owner = Word.model_construct(
            text=str(owner_token),
            span=_locate(pieces, path, owner_token.start_pos, len(owner_token)),
        )
        resources = [
            _resource(list(r.children), pieces, path, model.problems)
            for r in group_tree.children[1:]
        ]
        last = resources[-1].span if resources else owner.span
        span = Span.model_construct(
            path=path,
            line=owner.span.line,
            column=owner.span.column,
            end_line=last.line,
            end_column=last.end_column,
        )
        model.groups.append(
            ResourceGroup.model_construct(owner=owner, resources=resources, span=span)
        )
    too_large(model.problems, "HL300", source)
    return model

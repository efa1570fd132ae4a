"""Build the AuthKeys model from authkeys, selecting the outbound key as Heartbeat 3.0.6 does.

The reader records facts only: each `auth N` line and each key line as parsed, and each line
it could not take with the reason why (`AuthKeys.misread`); HL200 (checks/authkeys.py) judges
those. Nothing recorded here holds a key except `AuthKey.key`, which never leaves its object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lark import Transformer

from halint.grammar import parser
from halint.models import AuthKey, AuthKeys, AuthSelector, Misread, Span
from halint.parsing.common import span_at, word
from halint.values import atoi

if TYPE_CHECKING:
    from lark import Token

    from halint.sources import SourceFile

METHODS = ("crc", "md5", "sha1")
MAX_INDEX = 15

_Read = AuthSelector | AuthKey | Misread | None


class _LineReader(Transformer["Token", _Read]):
    """One parsed line of authkeys (grammars/authkeys.lark) as a typed model."""

    def __init__(self, path: str) -> None:
        super().__init__(visit_tokens=False)
        self.path = path
        self.number = 0  # the physical line being read

    def start(self, children: list[_Read]) -> _Read:
        return children[0] if children else None

    def comment(self, _tokens: list[Token]) -> None:
        return None

    def selector(self, tokens: list[Token]) -> AuthSelector:
        number_token = tokens[1]
        return AuthSelector.model_construct(
            index=atoi(str(number_token))[0], span=word(number_token, self.path, self.number).span
        )

    def key_line(self, tokens: list[Token]) -> AuthKey | Misread:
        path, number = self.path, self.number
        index_token, method_token = tokens[0], tokens[1]
        key_index = atoi(str(index_token))[0]  # sscanf's %d: C's reading, never Python's
        index = word(index_token, path, number)
        if not 0 <= key_index <= MAX_INDEX:
            return Misread("index-out-of-range", index.span, str(index_token), key_index)
        method = word(method_token, path, number)
        key_token = next((t for t in tokens[2:] if t.type == "KEY"), None)
        extra = next((str(t) for t in tokens[2:] if t.type == "EXTRA"), "").strip()
        trailing = "none" if not extra else ("comment" if extra.startswith("#") else "words")
        line_span = Span.model_construct(
            path=path,
            line=number,
            column=index.span.column,
            end_line=number,
            end_column=method.span.end_column,
        )
        return AuthKey.model_construct(
            index=key_index,
            method=method,
            key=str(key_token) if key_token is not None else None,
            key_span=word(key_token, path, number).span if key_token else None,
            trailing=trailing,
            span=line_span,
        )


def _misread_line(path: str, number: int, text: str) -> Misread:
    """Why a line that is not blank nor a comment fits neither kind of line."""
    stripped = text.lstrip(" \t\f\v\r")
    column = len(text) - len(stripped) + 1
    first = stripped.split(None, 1)[0] if stripped.split() else ""
    span = span_at(path, number, column, len(first) or 1)
    if stripped.startswith("a"):
        return Misread("not-selector", span)
    if first.lower() == "auth":
        return Misread("capital-auth", span)
    return Misread("not-key-line", span)


def read_authkeys(source: SourceFile) -> AuthKeys:
    from lark.exceptions import UnexpectedInput

    path = source.path
    model = AuthKeys.model_construct(path=path, line_count=len(source.lines))
    reader = _LineReader(path)
    pending: int | None = None
    for index, raw in enumerate(source.lines):
        number = index + 1
        text = raw
        if "\x00" in text:  # C reads the line only up to it
            cut = text.index("\x00")
            if text[cut:].strip("\x00 \t\r"):
                model.misread.append(Misread("nul", span_at(path, number, cut + 1, 1)))
            text = text[:cut]
        stripped = text.lstrip(" \t\f\v\r")
        if not stripped or stripped.startswith("#"):
            continue
        try:
            tree = parser("authkeys").parse(text)
        except UnexpectedInput:
            model.misread.append(_misread_line(path, number, text))
            continue
        reader.number = number
        line = reader.transform(tree)
        if isinstance(line, AuthSelector):
            model.selectors.append(line)
            pending = line.index
        elif isinstance(line, AuthKey):
            model.keys.append(line)
            if pending is not None and line.index == pending and _usable(line):
                model.active = line
        elif line is not None:
            model.misread.append(line)
    return model


def _usable(key: AuthKey) -> bool:
    """Whether Heartbeat would accept this key line (the line-level checks of auth.c)."""
    if key.method.text not in METHODS:
        return False
    if key.method.text == "crc":
        return key.key is None
    return key.key is not None

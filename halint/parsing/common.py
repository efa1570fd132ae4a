"""Helpers shared by the three readers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.models import Span, Word

if TYPE_CHECKING:
    from lark import Token

# Heartbeat reads a line into a 5120-byte buffer: a longer line is cut and its rest is read as
# if it were a new line.
MAX_LINE_BYTES = 5119


def span_at(path: str, line: int, column: int, length: int) -> Span:
    return Span.model_construct(
        path=path, line=line, column=column, end_line=line, end_column=column + length
    )


def word(token: Token, path: str, line: int, offset: int = 0) -> Word:
    column = (token.column or 1) + offset
    return Word.model_construct(text=str(token), span=span_at(path, line, column, len(token)))


def clip_line(raw: str) -> tuple[str, bool]:
    """Cut a line to what Heartbeat's buffer holds; True if something was cut."""
    if len(raw) <= MAX_LINE_BYTES // 4:
        return raw, False
    encoded = raw.encode("utf-8", "surrogateescape")
    if len(encoded) <= MAX_LINE_BYTES:
        return raw, False
    return encoded[:MAX_LINE_BYTES].decode("utf-8", "surrogateescape"), True


def abbreviated(text: str, keep: int = 40) -> str:
    """A word as a message may quote it: a very long one is cut, with its length said."""
    if len(text) <= keep:
        return text
    return f"{text[:keep]}… ({len(text)} characters)"

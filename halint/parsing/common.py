"""Helpers shared by the three readers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.models import Problem, Span, Word

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedInput

    from halint.sources import SourceFile

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


def describe_char(ch: str) -> str:
    if "\udc80" <= ch <= "\udcff":
        return f"the undecodable byte 0x{ord(ch) - 0xDC00:02X}"
    return f"the control character U+{ord(ch):04X}"


def unreadable_line(
    rule: str, path: str, line: int, text: str, error: UnexpectedInput, what: str
) -> Problem:
    """A syntax problem for a line the grammar could not read, located at the failing column."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    column = getattr(error, "column", 1) or 1
    if isinstance(error, UnexpectedCharacters) and 0 < column <= len(text):
        detail = f"{describe_char(text[column - 1])} cannot be part of {what}"
    elif isinstance(error, UnexpectedToken) and error.token is not None:
        token = error.token
        shown = str(token) if token.type != "$END" else "the end of the line"
        detail = f"unexpected {shown!r}" if token.type != "$END" else f"unexpected {shown}"
    else:
        detail = "the line does not fit the file's syntax"
    return Problem.model_construct(
        rule=rule,
        span=span_at(path, line, column, 1),
        message=f"this line cannot be read as {what}: {detail}",
    )


def too_large(problems: list[Problem], rule: str, source: SourceFile) -> None:
    """A file cut at the size halint reads: one problem at the last line read."""
    if not source.facts.truncated:
        return
    from halint.sources import MAX_READ_BYTES

    line = max(len(source.lines), 1)
    problems.append(
        Problem.model_construct(
            rule=rule,
            span=span_at(source.path, line, 1, 1),
            message=f"{source.kind} is larger than {MAX_READ_BYTES // 1024} KiB: no Heartbeat "
            "configuration is anywhere near that size, and halint reads no further than here "
            "(Heartbeat itself would read on)",
            fix=f"look at what filled {source.kind}: a configuration file is a few kilobytes",
            blocks_start=False,
        )
    )

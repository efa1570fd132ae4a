"""Build the AuthKeys model from authkeys, selecting the outbound key as Heartbeat 3.0.6 does.

No message built here ever contains a key: lines are described by their index and method.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.grammar import parser
from halint.models import AuthKey, AuthKeys, AuthSelector, Problem, Span
from halint.parsing.common import abbreviated, span_at, too_large, word
from halint.values import atoi

if TYPE_CHECKING:
    from halint.sources import SourceFile

METHODS = ("crc", "md5", "sha1")
MAX_INDEX = 15


def _problem(model: AuthKeys, rule: str, span: Span, message: str, fix: str | None) -> None:
    model.problems.append(Problem.model_construct(rule=rule, span=span, message=message, fix=fix))


def read_authkeys(source: SourceFile) -> AuthKeys:
    model = AuthKeys.model_construct(path=source.path)
    path = source.path
    pending: int | None = None
    for index, raw in enumerate(source.lines):
        number = index + 1
        text = raw
        if "\x00" in text:  # C reads the line only up to it
            cut = text.index("\x00")
            if text[cut:].strip("\x00 \t\r"):
                _problem(
                    model,
                    "HL200",
                    span_at(path, number, cut + 1, 1),
                    "a NUL byte: Heartbeat reads the line only up to it and ignores the rest",
                    "remove the NUL byte and what follows it, or retype the line",
                )
            text = text[:cut]
        stripped = text.lstrip(" \t\f\v\r")
        if not stripped or stripped.startswith("#"):
            continue
        try:
            tree = parser("authkeys").parse(text)
        except Exception as error:
            from lark.exceptions import UnexpectedInput

            if not isinstance(error, UnexpectedInput):
                raise
            column = len(text) - len(stripped) + 1
            first = stripped.split(None, 1)[0] if stripped.split() else ""
            if stripped.startswith("a"):
                said = "Invalid auth line [...] in /etc/ha.d/authkeys"
                why = "a line starting with `a` must be the selector `auth N`"
                fix = "write `auth 1` (lower case, then the index of the key to use)"
            elif first.lower() == "auth":
                said = "Auth line [...] is invalid."
                why = "`auth` must be written in lower case"
                fix = "write `auth 1`"
            else:
                said = "Auth line [...] is invalid."
                why = "a key line is `N method [key]`: an index 0–15, crc/md5/sha1, a key"
                fix = "write e.g. `1 sha1 <secret>` (and `auth 1` above it)"
            _problem(
                model,
                "HL200",
                span_at(path, number, column, len(first) or 1),
                f'this line is neither `auth N` nor `N method [key]`: {why}. Heartbeat: "{said}"',
                fix,
            )
            continue
        statement = tree.children[0]
        tokens = statement.children  # type: ignore[union-attr]
        if statement.data == "selector":  # type: ignore[union-attr]
            number_token = tokens[1]
            selector = AuthSelector.model_construct(
                index=atoi(str(number_token))[0], span=word(number_token, path, number).span
            )
            model.selectors.append(selector)
            pending = selector.index
            continue
        index_token, method_token = tokens[0], tokens[1]
        key_index = atoi(str(index_token))[0]  # sscanf's %d: C's reading, never Python's
        method = word(method_token, path, number)
        key_token = next((t for t in tokens[2:] if t.type == "KEY"), None)
        extra = next((str(t) for t in tokens[2:] if t.type == "EXTRA"), "").strip()
        trailing = "none" if not extra else ("comment" if extra.startswith("#") else "words")
        line_span = Span.model_construct(
            path=path,
            line=number,
            column=word(index_token, path, number).span.column,
            end_line=number,
            end_column=method.span.end_column,
        )
        key = AuthKey.model_construct(
            index=key_index,
            method=method,
            key=str(key_token) if key_token is not None else None,
            key_span=word(key_token, path, number).span if key_token else None,
            trailing=trailing,
            span=line_span,
        )
        if not 0 <= key_index <= MAX_INDEX:
            _problem(
                model,
                "HL200",
                word(index_token, path, number).span,
                f"key index {abbreviated(str(index_token))} is out of range: Heartbeat takes "
                f"0–{MAX_INDEX}. "
                f'Heartbeat: "Invalid authnum [{key_index}] in /etc/ha.d/authkeys"',
                "number the key from 1 to 15",
            )
            continue
        model.keys.append(key)
        if pending is not None and key_index == pending and _usable(key):
            model.active = key
    too_large(model.problems, "HL200", source)
    return model


def _usable(key: AuthKey) -> bool:
    """Whether Heartbeat would accept this key line (the line-level checks of auth.c)."""
    if key.method.text not in METHODS:
        return False
    if key.method.text == "crc":
        return key.key is None
    return key.key is not None

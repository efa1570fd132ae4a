"""The Lark parsers, built once per process from grammars/*.lark (LALR, contextual lexer).

Building the ha.cf tables costs a few tens of milliseconds, and even Lark's own cache spends
most of a small run's parsing time rebuilding its objects from their serialised form; a
pre-commit hook pays that on every commit. So each built parser is kept whole, pickled, in the
user's own cache folder (halint.cachedir), under a key of the grammar text, the options, lark's
version and the Python that built it: an edited grammar, another lark or another Python
rebuilds it. A parser is pickled right after it is built, before it has parsed anything (it
holds the grammar and nothing of what halint reads). An unreadable, damaged or stale file is
rebuilt; one that cannot be written is no cache. Its lexers compile their patterns (from the
grammar) through halint.regex, whose programs are kept in the same folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from halint.cachedir import cache_dir
from halint.resources import data_dir

if TYPE_CHECKING:
    from lark import Lark

OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}


@cache
def parser(name: str) -> Lark:
    """The LALR parser of grammars/<name>.lark, built (or loaded) on first use."""
    from lark import Lark

    text = (data_dir("grammars") / f"{name}.lark").read_text(encoding="utf-8")
    folder = cache_dir()
    built = None
    if folder is not None:
        path, key = folder / f"{name}.parser", cache_key(text)
        built = load_parser(path, key)
        if built is None:
            built = Lark(text, **OPTIONS)
            save_parser(path, key, built)
    if built is None:
        built = Lark(text, **OPTIONS)
    _lex_through_the_cache(built)
    return built


def cache_key(grammar: str) -> bytes:
    """What a kept parser must have been built from to be used."""
    import hashlib

    import lark

    made_from = "\0".join(
        (grammar, repr(sorted(OPTIONS.items())), lark.__version__, sys.version, sys.platform)
    )
    return hashlib.sha256(made_from.encode("utf-8", "surrogateescape")).hexdigest().encode()


def load_parser(path: Path, key: bytes) -> Lark | None:
    """The parser kept at `path` under `key`, or None (missing, stale, damaged, unreadable)."""
    from lark import Lark

    try:
        payload = path.read_bytes()
    except OSError:
        return None
    head = key + b"\n"
    if not payload.startswith(head):
        return None
    try:
        loaded = pickle.loads(payload[len(head) :])
    except Exception:
        return None
    return loaded if isinstance(loaded, Lark) else None


class _ParserPickler(pickle.Pickler):
    """Pickles a built parser without the grammar's own tree (only building needs it; a parser
    loaded from Lark's cache has none either), its lexers' `re` module by name, and lark's LALR
    actions (which the parser tells apart by identity) as references to lark's own."""

    def reducer_override(self, obj: Any) -> Any:
        from types import ModuleType

        from lark import Lark
        from lark.parsers.lalr_analysis import Reduce, Shift

        if type(obj) is Lark:
            state = {k: v for k, v in vars(obj).items() if k != "grammar"}
            return (Lark.__new__, (Lark,), state)
        if obj is Shift:
            return "Shift"
        if obj is Reduce:
            return "Reduce"
        if isinstance(obj, ModuleType):
            import importlib

            return (importlib.import_module, (obj.__name__,))
        return NotImplemented


def save_parser(path: Path, key: bytes, built: Lark) -> None:
    """Keep `built` at `path` (atomically); a cache that cannot be written is no cache."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(key + b"\n")
                _ParserPickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(built)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except Exception:
        return


def _lex_through_the_cache(built: Lark) -> None:
    """Point each of the parser's lexers at halint.regex before it builds its scanner (lark
    builds a scanner on the lexer's first use, one per parser state set)."""
    from lark.lexer import BasicLexer, ContextualLexer

    from halint.regex import CACHED_RE

    lexer = getattr(built.parser, "lexer", None)
    lexers = [lexer]
    if isinstance(lexer, ContextualLexer):
        lexers += [*lexer.lexers.values(), lexer.root_lexer]
    for each in lexers:
        if isinstance(each, BasicLexer):
            each.re = CACHED_RE

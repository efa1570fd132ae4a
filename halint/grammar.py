"""The Lark parsers, built once per process from grammars/*.lark (LALR, contextual lexer).

Building the ha.cf tables costs a few tens of milliseconds, which a pre-commit hook pays on
every commit; so the built tables are kept in the user's own cache folder (halint.cachedir).
Lark keys the cache on the grammar text, the options and its own version, so an edited
grammar or another lark is rebuilt. Its lexers compile their patterns (from the grammar)
through halint.regex, whose programs are kept in the same folder.
"""

from __future__ import annotations

import contextlib
from functools import cache
from typing import TYPE_CHECKING

from halint.cachedir import cache_dir
from halint.resources import data_dir

if TYPE_CHECKING:
    from lark import Lark


@cache
def parser(name: str) -> Lark:
    """The LALR parser of grammars/<name>.lark, built (or loaded) on first use."""
    from lark import Lark

    text = (data_dir("grammars") / f"{name}.lark").read_text(encoding="utf-8")
    options = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}
    folder = cache_dir()
    built = None
    if folder is not None:
        with contextlib.suppress(Exception):  # an unreadable cache: build afresh
            built = Lark(text, cache=str(folder / f"{name}.lark-cache"), **options)
    if built is None:
        built = Lark(text, **options)
    _lex_through_the_cache(built)
    return built


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

"""The shell parser: tree-sitter's bash grammar, loaded the first time a script is read.

tree-sitter-bash reads POSIX sh and bash (case, functions, here-documents, `[[ ]]`, `$(( ))`),
keeps going after a syntax error (the broken part becomes an ERROR node, the rest of the tree
stays), and parses in linear time in C. Importing it costs a few milliseconds, paid only by a
check that has a resource script to read.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Parser, Tree


@cache
def _parser() -> Parser:
    import tree_sitter
    import tree_sitter_bash

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


def parse(data: bytes) -> Tree:
    return _parser().parse(data)


def available() -> str | None:
    """None when the parser can be loaded, else why not (one line)."""
    try:
        _parser()
    except Exception as exc:  # an incompatible or missing binary wheel
        return f"the shell parser could not be loaded ({type(exc).__name__}: {exc})"
    return None

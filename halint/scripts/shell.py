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


def _bash_language() -> object:
    """The grammar's language object, from the package's compiled binding alone.

    `import tree_sitter_bash` would run the package's __init__, which imports importlib.resources
    (and with it tempfile, shutil, zipfile...) only to find its query files, which halint does
    not use: a check with a resource script paid about 6 M instructions for that. The binding is
    loaded as the import system would load it, so a wheel of another layout still works through
    the plain import."""
    import importlib.machinery
    import importlib.util
    import sys

    spec = importlib.util.find_spec("tree_sitter_bash")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        found = importlib.machinery.PathFinder.find_spec("_binding", [folder])
        if found is not None and found.loader is not None:
            module = importlib.util.module_from_spec(found)
            found.loader.exec_module(module)
            sys.modules.setdefault("tree_sitter_bash._binding", module)
            return module.language()
    import tree_sitter_bash

    return tree_sitter_bash.language()


@cache
def _parser() -> Parser:
    import tree_sitter

    return tree_sitter.Parser(tree_sitter.Language(_bash_language()))


def parse(data: bytes) -> Tree:
    return _parser().parse(data)


def available() -> str | None:
    """None when the parser can be loaded, else why not (one line)."""
    try:
        _parser()
    except Exception as exc:  # an incompatible or missing binary wheel
        return f"the shell parser could not be loaded ({type(exc).__name__}: {exc})"
    return None

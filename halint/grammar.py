"""The Lark parsers, built once per process from grammars/*.lark (LALR, contextual lexer).

Building the ha.cf tables costs a few tens of milliseconds, which a pre-commit hook pays on
every commit; so the built tables are kept in the user's own cache folder
($XDG_CACHE_HOME/halint, else ~/.cache/halint), never under site-packages or a shared temp
folder. Lark keys the cache on the grammar text, the options and its own version, so an edited
grammar or another lark is rebuilt. HALINT_NO_CACHE=1, or a cache folder that is not ours or
not writable, means no cache.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from halint.resources import data_dir

if TYPE_CHECKING:
    from lark import Lark


def _cache_dir() -> Path | None:
    if os.environ.get("HALINT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "halint"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.stat()
    except OSError:
        return None
    if st.st_uid != os.getuid() or st.st_mode & 0o022 or not os.access(folder, os.W_OK):
        return None
    return folder


@cache
def parser(name: str) -> Lark:
    """The LALR parser of grammars/<name>.lark, built (or loaded) on first use."""
    from lark import Lark

    text = (data_dir("grammars") / f"{name}.lark").read_text(encoding="utf-8")
    options = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False}
    folder = _cache_dir()
    if folder is not None:
        try:
            return Lark(text, cache=str(folder / f"{name}.lark-cache"), **options)
        except Exception:
            pass
    return Lark(text, **options)

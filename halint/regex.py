"""Regular expressions compiled once per Python installation, not once per run.

re.compile spends nearly all its time in Python code (re's parser and code generator) and
only a little in the C step that turns the generated program into a Pattern. Every run of
halint compiles the same few dozen patterns of its own and of its grammars' lexers, so the
generated programs are kept in a marshal file in the user's cache folder (halint.cachedir);
on a hit only the C step runs, and the Pattern is the very one re.compile gives (patterns
compare equal when their programs and flags do). The file is named by the interpreter's cache
tag and SRE's magic number, so another Python never reads it; a damaged or unreadable file
is ignored (and written again when new patterns come; a checksum tells a damaged file), and a
file that cannot be written costs nothing but the time saved. The file is trusted as the
user's own files are: halint.cachedir refuses a folder anyone else can write to.

Only patterns written in halint's source or grammars may go through here: a pattern built
from what halint reads (an authkeys key, an interface name) stays on re.compile, so nothing
of a file's contents ever reaches the cache file.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import struct
import sys
import tempfile
import types
import zlib
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]
from typing import Any, Final

from halint.cachedir import cache_dir

_sre: Any = _compiler._sre

# What _sre.compile takes after the pattern: the final flags, the program (kept as the bytes
# of its 32-bit words in this machine's order: marshal reads bytes in one copy, a list of ints
# one object at a time), the number of groups, and the group names both ways (name -> index,
# index -> name or None).
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_WORD: Final = "I"  # SRE's code words are 32 bits (_sre.CODESIZE), as C's unsigned int is here

# More than any run compiles: a guard against a cache growing without end.
MOST_KEPT = 4000


def build(pattern: str, flags: int) -> Program:
    """The program re.compile(pattern, flags) runs, as plain ints, strings, lists, dicts and
    tuples (what marshal can write). Raises re.error for a bad pattern, as re.compile does."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = {str(name): int(index) for name, index in parsed.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (
        int(flags | parsed.state.flags),
        struct.pack(f"={len(code)}{_WORD}", *code),
        int(parsed.state.groups - 1),
        groupindex,
        tuple(indexgroup),
    )


class PatternCache:
    """Compiled programs by (pattern, flags), read from `path` on first use and written back
    (whole, atomically) by save() when new ones were added. path None: no cache at all."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._programs: dict[tuple[str, int], Program] | None = None
        self._added = False
        self._compiled: dict[tuple[str, int], re.Pattern[str]] = {}  # in this process

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        flags = int(flags)
        key = (pattern, flags)
        known = self._compiled.get(key)
        if known is not None:
            return known
        if self.path is None or type(pattern) is not str or flags & re.DEBUG:
            return re.compile(pattern, flags)
        found = self._compile(key)
        self._compiled[key] = found
        return found

    def _compile(self, key: tuple[str, int]) -> re.Pattern[str]:
        pattern, flags = key
        programs = self._loaded()
        program = programs.get(key)
        if program is not None:
            try:
                return _from_program(pattern, program)
            except Exception:  # a damaged entry: build it again below
                del programs[key]
        try:
            program = build(pattern, flags)
            compiled = _from_program(pattern, program)
        except re.error:
            raise
        except Exception:  # an re whose internals differ: the plain way, not kept
            return re.compile(pattern, flags)
        if len(programs) < MOST_KEPT:
            programs[key] = program
            self._added = True
        return compiled

    def _loaded(self) -> dict[tuple[str, int], Program]:
        if self._programs is None:
            self._programs = self._read()
        return self._programs

    def _read(self) -> dict[tuple[str, int], Program]:
        assert self.path is not None
        try:
            payload = self.path.read_bytes()
        except OSError:
            return {}
        body = payload[4:]
        if len(payload) < 4 or zlib.crc32(body) != int.from_bytes(payload[:4], "big"):
            return {}
        try:
            programs = marshal.loads(body)
        except Exception:
            return {}
        return programs if isinstance(programs, dict) else {}

    def save(self) -> None:
        """Write the programs back if any were added; never fails (the cache is optional)."""
        if not self._added or self.path is None or self._programs is None:
            return
        try:
            body = marshal.dumps(self._programs)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".patterns-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(zlib.crc32(body).to_bytes(4, "big") + body)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except Exception:
            return
        self._added = False


def _from_program(pattern: str, program: Program) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = program
    words = memoryview(code).cast(_WORD).tolist()
    compiled: re.Pattern[str] = _sre.compile(pattern, flags, words, groups, groupindex, indexgroup)
    return compiled


def cache_file(folder: Path) -> Path | None:
    """Where this Python keeps its compiled patterns in `folder`, named by its cache tag, SRE's
    magic number and the byte order of the programs (None: no cache for this Python)."""
    tag = sys.implementation.cache_tag
    if tag is None or struct.calcsize(_WORD) != _sre.CODESIZE:
        return None
    return folder / f"patterns-{tag}-sre{_sre.MAGIC}-{sys.byteorder}.marshal"


_cache: PatternCache | None = None


def _shared() -> PatternCache:
    global _cache
    if _cache is None:
        folder = cache_dir()
        _cache = PatternCache(None if folder is None else cache_file(folder))
        atexit.register(_cache.save)
    return _cache


def compiled(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), its program kept across runs. For patterns written in
    halint's own source only (see the module's docstring)."""
    return _shared().compile(pattern, flags)


class CachedRe(types.ModuleType):
    """The part of the re module lark's lexers use (compile, match, error), compiling through
    the cache: lark builds its lexers' patterns from the grammars, never from what it parses."""

    error = re.error

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern[str]:
        return compiled(pattern, flags)

    def match(self, pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return compiled(pattern, flags).match(string)


CACHED_RE = CachedRe("halint.regex.CACHED_RE")

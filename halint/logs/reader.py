"""Read ha-log, ha-debug and syslog as Heartbeat writes them, streaming, in time order.

Line shapes (shared/reference/heartbeat.md §5.3–5.4):
  syslog-style file:  Nov 24 21:00:23 node1 heartbeat: [10864]: info: Link node2:ens33 up.
  legacy file:        heartbeat[9]: 2015/03/05_10:22:31 info: Link node2:eth1 up.
  scripts (new):      2026/11/24_21:00:36  ResourceManager(default)[11334]:    ERROR: ...
  scripts (old):      ResourceManager[3042]:<TAB>2010/05/13_13:35:12 info: Acquiring ...
  via syslog/journal: Mar  5 10:22:31 gw1 heartbeat: [2412]: info: ...
                      Nov 11 11:09:52 master1 heartbeat[38569]: [38569]: info: ...
                      May  9 12:10:40 gw2 harc[26469]: info: Running /etc/ha.d//rc.d/status
  ISO syslog:         2026-11-24T21:00:23.123456+00:00 node1 heartbeat: [10864]: info: ...
Anything else (continuation lines, binary junk from packet dumps, other daemons) is skipped.
Files are read in large binary chunks; only lines that mention Heartbeat's programs are parsed,
so memory stays flat whatever the size of the log.
"""

from __future__ import annotations

import bisect
import bz2
import gzip
import io
import itertools
import lzma
import os
import re
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from halint.i18n import _, os_reason

CHUNK = 1024 * 1024
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    )
}
LEVELS = ("EMERG", "ALERT", "CRIT", "ERROR", "WARN", "notice", "info", "debug")
# Programs whose lines matter: the daemon, its helpers and the resource scripts.
MARKERS = (
    b"heartbeat",
    b"ResourceManager",
    b"ipfail",
    b"mach_down",
    b"harc",
    b"IPaddr",
    b"resource.d",
    b"hb_standby",
    b"ccm",
    b"dopd",
    b"Filesystem",
    b"/etc/init.d",
    b"pengine",
    b"crmd",
    b"lrmd",
    b"cib: ",
)

# The message after `program[pid]: `: an optional `[pid]: ` (journal copies), an optional level
# word (as _level_and_message reads it, done here by the same search for the busiest shape).
_LEVELLED = (
    r"(?:\[.*?\]: )?\s*"
    r"(?:(?P<level>EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug|INFO|WARNING|CRITICAL): *)?"
    r"(?P<message>.*)$"
)
_SYSLOG = re.compile(
    r"^(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<clock>\d\d:\d\d:\d\d)(?:\.\d+)? "
    r"(?P<host>\S+) (?P<entity>[^\s\[:]+)(?:\[\d+\])?: " + _LEVELLED
)
_ISO = re.compile(
    r"^(?P<iso>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? "
    r"(?P<host>\S+) (?P<entity>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?: (?P<rest>.*)$"
)
# The time stamp Heartbeat's own files and its scripts write: 2015/03/05_10:22:31.
_STAMP = r"\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d"
SCRIPT_STAMP = re.compile(_STAMP.encode())
_LEGACY = re.compile(
    r"^(?P<entity>\S+?)\[(?P<pid>\d+)\]:\s+(?P<stamp>" + _STAMP + r")\s+(?P<rest>.*)$"
)
_DATED = re.compile(r"^(?P<stamp>" + _STAMP + r")\s+(?P<rest>[A-Za-z]+: .*)$")
_BARE = re.compile(
    r"^(?P<rest>(?:EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug|INFO|WARNING|"
    r"CRITICAL): .*)$"
)
_BARE_PREFIXES = (
    b"EMERG:",
    b"ALERT:",
    b"CRIT:",
    b"ERROR:",
    b"WARN:",
    b"notice:",
    b"info:",
    b"debug:",
    b"INFO:",
    b"WARNING:",
    b"CRITICAL:",
)
_SCRIPT = re.compile(
    r"^(?P<stamp>" + _STAMP + r")\s+(?P<entity>\S+?)\[(?P<pid>\d+)\]:\s+(?P<rest>.*)$"
)


@dataclass(slots=True)
class Event:
    """One log line that Heartbeat or its scripts wrote."""

    time: str  # "YYYY-MM-DD HH:MM:SS", sortable; "" when the line has no time
    node: str | None
    entity: str
    level: str
    message: str
    path: str
    line: int
    text: str  # the whole line, as read

    def stamp(self) -> str:
        return self.time


class LogError(Exception):
    """A log that cannot be read at all (exit 2, one line)."""


def _open_binary(path: str) -> BinaryIO:
    """Open a log for reading. A FIFO (`<(zcat ha-log.1.gz)`) is opened without waiting for a
    writer: with none, it reads as empty instead of hanging."""
    if stat.S_ISFIFO(os.stat(path).st_mode):
        import fcntl

        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
        fcntl.fcntl(descriptor, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        return io.BufferedReader(io.FileIO(descriptor, "rb"))
    return open(path, "rb")


def stream_kind(start: bytes) -> str | None:
    """What a log's first bytes say it must be read through: "gzip", "bz2", "xz", a UTF-16
    codec (with its byte-order mark, or told by where the NUL bytes of its ASCII fall: a
    Windows editor's "Unicode" save), or None for bytes read as they are."""
    if start.startswith(b"\x1f\x8b"):
        return "gzip"
    if start.startswith(b"BZh"):
        return "bz2"
    if start.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = start[: 4096 & ~1]
    half = len(sample) // 2
    if half >= 8:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd * 10 >= half * 9 and even * 20 <= half:
            return "utf-16-le"
        if even * 10 >= half * 9 and odd * 20 <= half:
            return "utf-16-be"
    return None


class _Utf8Of(io.RawIOBase):
    """A UTF-16 log read as its UTF-8 copy, a chunk at a time (what is not UTF-16 becomes
    U+FFFD, as a text editor shows it)."""

    def __init__(self, handle: BinaryIO, codec: str) -> None:
        import codecs

        super().__init__()
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder(codec)("replace")
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._left:
            raw = self._handle.read(CHUNK)
            self._left = self._decoder.decode(raw, final=not raw).encode("utf-8")
            if not raw:
                break
        size = min(len(buffer), len(self._left))
        buffer[:size] = self._left[:size]
        self._left = self._left[size:]
        return size

    def close(self) -> None:
        self._handle.close()
        super().close()


def open_log(path: str) -> BinaryIO:
    """Plain, .gz, .bz2, .xz or UTF-16, or `-` for standard input: what to read it through is
    told by its first bytes (stream_kind), on standard input too."""
    if path == "-":
        handle: BinaryIO = sys.stdin.buffer
    else:
        handle = _opened(path)
    start = handle.peek(4096)[:4096] if hasattr(handle, "peek") else b""
    kind = stream_kind(start)
    packed: BinaryIO | None = None
    if kind == "gzip":
        packed = gzip.open(handle)  # type: ignore[assignment]  # noqa: SIM115 (returned open)
    elif kind == "bz2":
        packed = bz2.open(handle)  # type: ignore[assignment]  # noqa: SIM115
    elif kind == "xz":
        packed = lzma.open(handle)  # type: ignore[assignment]  # noqa: SIM115
    if packed is not None:  # what it holds may be UTF-16 too (a Windows log, gzipped)
        try:
            inner = stream_kind(packed.peek(4096)[:4096])  # type: ignore[attr-defined]
        except (OSError, EOFError, lzma.LZMAError, zlib.error):
            inner = None  # (damaged: said when it is read)
        if inner is not None and inner.startswith("utf-16"):
            return io.BufferedReader(_Utf8Of(packed, inner), CHUNK)
        return packed
    if kind is not None:
        return io.BufferedReader(_Utf8Of(handle, kind), CHUNK)
    return handle


def _opened(path: str) -> BinaryIO:
    try:
        handle = _open_binary(path)
        if stat.S_ISCHR(os.fstat(handle.fileno()).st_mode):  # /dev/zero, /dev/tty: endless
            handle.close()
            raise LogError(_("{path}: a device, not a log").format(path=path))
    except IsADirectoryError:
        raise LogError(_("{path}: is a folder, not a log").format(path=path)) from None
    except OSError as error:
        raise LogError(
            _("{path}: cannot be read ({error})").format(
                path=path, error=os_reason(error.strerror or str(error))
            )
        ) from None
    return handle


def chunks(handle: BinaryIO, path: str) -> Iterator[tuple[int, bytes]]:
    """(lines before it, piece of whole lines) for a stream, read in large chunks."""
    number = 0
    tail = b""
    unjudged = MAX_NUL_CHUNKS  # chunks of NUL bytes alone still taken before judging
    carriage = False
    while True:
        try:
            chunk = handle.read(CHUNK)
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
            # (a corrupt gzip member raises zlib's own error, not an OSError)
            raise LogError(
                _("{path}: the log is damaged or truncated ({error})").format(
                    path=path, error=error
                )
            ) from None
        if not chunk:
            break
        if unjudged:  # (/dev/zero on standard input would be read for ever)
            unjudged = judged(chunk, unjudged, path)
            # a log whose lines end in CR alone (an old Mac's, a terminal capture's)
            carriage = b"\n" not in chunk and b"\r" in chunk
        if carriage:
            chunk = chunk.replace(b"\r", b"\n")
        chunk = tail + chunk
        cut = chunk.rfind(b"\n")
        if cut < 0:
            # No line end in sight (binary data): keep at most one chunk of it, so memory
            # stays flat; a line that long is not one of Heartbeat's.
            tail = chunk[-CHUNK:]
            continue
        tail = chunk[cut + 1 :]
        body = chunk[: cut + 1]
        yield number, body
        number += body.count(b"\n")
    if tail:
        yield number, tail


# The control characters a text log never holds many of (all but tab, line feed and carriage
# return): as translate's table of bytes to keep, so that counting them runs in C.
_TEXT = bytes(sorted({*range(0x20, 0x7F), *range(0x80, 0x100), 0x09, 0x0A, 0x0D}))
# A paste is read whatever it holds (junk in front of its lines): only a larger sample judged.
_BINARY_SAMPLE = 64 * 1024
# A log whose first 64 MiB are NUL bytes alone is not one (a sparse file, /dev/zero).
MAX_NUL_CHUNKS = 64


def judged(chunk: bytes, unjudged: int, path: str) -> int:
    """The start of a log judged a chunk at a time, `unjudged` chunks of NUL bytes alone still
    allowed: 0 once a chunk with other bytes is text, one fewer after one of NULs only (a
    crash's unwritten space, or no log at all). Raises LogError for binary data, or for
    MAX_NUL_CHUNKS of NULs."""
    if chunk.count(0) < len(chunk):
        if not binary(chunk):
            return 0
    elif unjudged > 1:
        return unjudged - 1
    raise LogError(_("{path}: binary data, not a text log").format(path=path))


def binary(sample: bytes) -> bool:
    """The first bytes of a log (up to CHUNK) are no text log's: without their NUL bytes, no
    line end in a whole chunk, or more than one byte in twenty a control character and not
    UTF-8 (a disk image, a core dump, /dev/urandom on standard input). NUL bytes are left
    out: a crash can leave a run of them in a real log (space the file system gave the file
    and nothing was written to). A sample under 64 KiB (a paste, which may carry junk in front
    of its lines) is binary when most of it is lines no text holds (`_mostly_junk`)."""
    text = sample.replace(b"\x00", b"")
    if not text:
        return False  # (see MAX_NUL_CHUNKS)
    if len(sample) < _BINARY_SAMPLE:
        return _mostly_junk(text)
    if len(sample) >= CHUNK and b"\n" not in text:
        return True
    if len(text.translate(None, _TEXT)) * 20 <= len(text):
        return False
    try:  # a terminal session recorded with `script`, escapes and all, is UTF-8 text
        text[: text.rfind(b"\n") + 1].decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _mostly_junk(text: bytes) -> bool:
    """More than half of the bytes are in lines that hold a control character or are not
    UTF-8 (a small program, random bytes), not a paste with some junk in front, nor UTF-8
    text full of escapes (a short terminal session)."""
    try:
        text.decode("utf-8")
        return False
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data":  # a character cut at the end of the sample
            return False
    junk = 0
    for line in text.split(b"\n"):
        if line.translate(None, _TEXT):
            junk += len(line)
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            junk += len(line)
    return junk * 2 > len(text)


_LEVEL_WORDS = frozenset(
    b"EMERG: ALERT: CRIT: ERROR: WARN: notice: info: debug: INFO: WARNING: CRITICAL:".split()
)
_ALWAYS = frozenset(b"EMERG: ALERT: CRIT: ERROR: CRITICAL:".split())


# The level words after which Filters.wanted looks at a message's first words (after the
# others, EMERG to CRITICAL, every message matters), in the order the search tries them.
_PLAIN_LEVELS = (b"WARN", b"notice", b"info", b"debug", b"INFO", b"WARNING")


# Where every match of Filters.wanted starts: the end of a `program[pid]:` (digest reads a line
# without one as one that cannot matter).
WANTED_START = b"]:"


class Filters:
    """The quick filters of the reader, made from the words that start the messages the
    signatures and the timeline look at (halint.logs.needles derives them from the catalogue):
    `wanted` finds, in a piece of the usual `program[pid]: message` shapes, the lines that
    matter, each match ending where the line's message starts (digest.digest finds their
    lines around each match); `first_words` judges one line of those shapes; `needles` finds
    a needle anywhere (for lines of no shape at all)."""

    def __init__(
        self,
        first_words: frozenset[bytes],
        first_two: frozenset[bytes],
        after_name: frozenset[bytes],
        needles: re.Pattern[bytes],
    ) -> None:
        self.first_words = first_words
        # Two words where the first alone is too common: "Local status now set to" is half
        # of a busy daemon's chatter, and only "Local standby ..." matters.
        self.first_two = first_two
        self.chatty = frozenset(w.split(b" ")[0] for w in first_two)
        self.after_name = after_name  # a message's second word, after a node's name
        self.needles = needles
        fast = first_words | first_two
        from halint.logs.classify import alternation

        words = alternation([w.decode() for w in fast]).encode()
        named = b"|".join(re.escape(w) for w in sorted(after_name))
        # A level word, once read, is not read again as the message's first word (possessive:
        # 15% faster on lines that do not match) — unless a first word starts like one.
        once = b"+" if not any(w.startswith(_PLAIN_LEVELS) for w in fast | after_name) else b""
        self.wanted = re.compile(
            # (possessive blanks: a message starts with no blank, and backtracking into the
            # blanks before it only retried the words: twice as fast on lines that do not match)
            re.escape(WANTED_START)
            + rb"[ \t]++(?:\[\d+\]: )?(?:\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d\s+)?"
            rb"(?:(?:EMERG|ALERT|CRIT|ERROR|CRITICAL): *+|"
            rb"(?:(?:"
            + b"|".join(_PLAIN_LEVELS)
            + rb"):\s++)?"
            + once
            # (looked ahead at: a match ends where its line's message starts, after its level)
            + rb"(?=(?:"
            + words
            + rb")[ :\n]"
            + (rb"|[^\s:\[\]]++ (?:" + named + rb") " if named else b"")
            + rb"))"
        )


# Shapes the fast search does not see: lines with no `[pid]: `.
# (The look-ahead turns most line starts away after one byte: a third faster.)
_RARE_LINE = re.compile(
    rb"\n(?=[ \t>*EACWnidI0-9])"
    rb"(?:[ \t>*]*(?:EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug|INFO|WARNING|CRITICAL):"
    rb"|\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d [A-Za-z]+: )"
)
_RARE_DAEMON = re.compile(rb"heartbeat: (?:EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug): ")


def rare(body: bytes) -> bool:
    """Does this piece hold a line the fast search (Filters.wanted) would miss? (Each search
    below starts with a literal, so the regular expression engine skips ahead in C.)"""
    return bool(
        _RARE_LINE.search(b"\n" + body[:200])
        or _RARE_LINE.search(body)
        or _RARE_DAEMON.search(body)
        or (b"\t" in body and b"]:\t" in body)
        or b"`" in body
    )


def _wanted(line: bytes, filters: Filters) -> bool:
    """A cheap first look: does this line matter? Lines of the usual `program[pid]: ...` shapes
    are judged by the first word of their message (errors always matter); the rare shapes (a
    console copy, an old line without pid) by the slower marker test."""
    start = line.find(b"]: ")
    if start < 0 or b"`" in line:
        return _candidate(line)
    rest = line[start + 3 :].lstrip()
    if rest[:1] == b"[":  # journal: heartbeat[38569]: [38569]: info: ...
        start = rest.find(b"]: ")
        rest = rest[start + 3 :] if start > 0 else rest
    space = rest.find(b" ")
    word = rest[:space] if space > 0 else rest
    if word[:2] == b"20" and len(word) == 19:  # legacy: heartbeat[9]: 2015/03/05_10:22:31 ...
        rest = rest[space + 1 :].lstrip()
        space = rest.find(b" ")
        word = rest[:space] if space > 0 else rest
    if word in _LEVEL_WORDS:
        if word in _ALWAYS:
            return True
        rest = rest[space + 1 :].lstrip()
        space = rest.find(b" ")
        word = rest[:space] if space > 0 else rest
    if word in filters.first_words:
        return True
    second = rest[space + 1 :].split(b" ", 1)[0] if space > 0 else b""
    if word in filters.chatty:
        return word + b" " + second in filters.first_two
    return second in filters.after_name


def _candidate(line: bytes) -> bool:
    if b"heartbeat" in line or any(marker in line for marker in MARKERS):
        return True
    head = line.lstrip(b" \t>*`")[:10]
    return head.startswith(_BARE_PREFIXES) or head[:2] == b"20"


_LEVEL_NAMES = {name: name for name in LEVELS} | {
    "INFO": "info",
    "WARNING": "WARN",
    "CRITICAL": "CRIT",
}


def _level_and_message(rest: str) -> tuple[str, str]:
    """`[pid]: LEVEL: message` (both parts optional) -> (level, message)."""
    if rest[:1] == "[":
        close = rest.find("]: ")
        if close > 0:
            rest = rest[close + 3 :]
    rest = rest.lstrip()
    colon = rest.find(":")
    if 0 < colon <= 8:
        level = _LEVEL_NAMES.get(rest[:colon])
        if level is not None:
            return level, rest[colon + 1 :].lstrip(" ")
    return "", rest


class YearGuess:
    """Syslog leaves the year out: take it from a dated line of the same file when there is one,
    else count it back from the file's date (syslog_calendar: a year for each line number, or
    the year of the first line), and roll it over when the stamps go backwards."""

    def __init__(
        self,
        fallback: int,
        month: int = 0,
        written: str = "",
        by_line: list[tuple[int, int]] | None = None,
    ) -> None:
        self.year = fallback
        self.last_month = month  # (with a year read from the file: the month it was read at)
        self.last_key = ""  # the last stamp asked about, "MM-DD HH:MM:SS"
        # when the year is that of the file's (or, for a stream, today's) date: its stamp; a
        # first line of a later day is of the year before (a log of November and December
        # read in January), as a syslog line is never of the future
        self.written = written
        # (first line number, year) of each year of the file, counted from all its lines,
        # and the line at which the year next changes (a line of the same month may be a year
        # later, and at() is asked again only at a new month or that line)
        self.by_line = by_line
        self.next_line = 1 << 62

    def seen(self, stamp: str) -> None:
        self.year, self.last_month = int(stamp[:4]), int(stamp[5:7])
        self.last_key, self.by_line = stamp[5:], None  # the file says its years itself
        self.next_line = 1 << 62

    def at(self, month: int, key: str = "", line: int = 0) -> int:
        """The year of a syslog line of `month` (stamp `key`, "MM-DD HH:MM:SS"; line `line`)."""
        if self.by_line is not None and line:
            index = max(bisect.bisect_right(self.by_line, (line, 1 << 30)) - 1, 0)
            self.year = self.by_line[index][1]
            following = index + 1 < len(self.by_line)
            self.next_line = self.by_line[index + 1][0] if following else 1 << 62
        elif not self.last_month and self.written:
            if (key or f"{month:02d}") > _day_later(self.written):
                self.year -= 1
        elif self.last_month:
            self.year += year_step(self.last_key or f"{self.last_month:02d}", key or f"{month:02d}")
        self.last_month, self.last_key = month, key
        return self.year


_MONTH_STARTS = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)  # (Feb: 29 days)


def _days(key: str) -> float:
    """A stamp "MM-DD HH:MM:SS" (or only "MM") as days since New Year."""
    month = int(key[:2])
    day = int(key[3:5]) if len(key) >= 5 else 1
    seconds = 0
    if len(key) >= 14:
        seconds = int(key[6:8]) * 3600 + int(key[9:11]) * 60 + int(key[12:14])
    return _MONTH_STARTS[min(max(month, 1), 12) - 1] + day - 1 + seconds / 86400


def _day_later(key: str) -> str:
    """A stamp a day after `key` (the tolerance of a file's date against its last line)."""
    days = _days(key) + 1
    month = max(m for m in range(12) if _MONTH_STARTS[m] <= days)
    return f"{month + 1:02d}-{int(days - _MONTH_STARTS[month]) + 1:02d} 23:59:59"


def year_step(last: str, key: str) -> int:
    """How the year moves from a line stamped `last` to the next line, stamped `key` (each
    "MM-DD HH:MM:SS", or a month "MM" alone), in a log, which only goes forward: a stamp more
    than a day before the last is of the next year (December, then January; or March, a quiet
    year, then February); a stamp almost a year after the last is of the year before (lines a
    moment out of order at New Year: January 1st, then December 31st); within a day back is
    such a moment too."""
    if len(last) < 5 or len(key) < 5:  # months alone: more than one month back
        before, after = int(last[:2]), int(key[:2])
        return 1 if after < before - 1 else -1 if after > before + 10 else 0
    step = _days(key) - _days(last)
    if step < -1:
        return 1
    if step > 364:
        return -1
    return 0


# The month (and day) a syslog line starts with (`Nov 24 21:00:23 node1 ...`).
_SYSLOG_DAY = re.compile(
    rb"(?m)^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ 0-3]?[0-9]) (\d\d:\d\d:\d\d) "
)
_SAMPLES = 512  # places of a file whose month is read: a few MiB read for the largest log
_SAMPLE_BYTES = 8192


def syslog_calendar(
    path: str, written: datetime
) -> tuple[int, list[tuple[int, int]] | None] | None:
    """For a plain regular file whose lines leave the year out, written at `written`: the year
    of its first syslog line, counted back from the file's date (its last line is of that year,
    or of the year before when of a later day: syslog is never of the future; each New Year
    between its lines, year_step, one year back), and for a file up to 4 MiB (every line read)
    the year of each line number. Larger files are sampled at 512 places: a log that spends a
    whole year between two of them is counted a year short. None for a stream, a compressed
    file or a file with no syslog line."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(_SAMPLE_BYTES)
            if stream_kind(head) is not None:
                return None
            stamps: list[tuple[int, str]] = []  # (line number or 0, "MM-DD HH:MM:SS")
            if size <= _SAMPLES * _SAMPLE_BYTES:  # (4 MiB) every line
                handle.seek(0)
                data = handle.read()
                line, at = 1, 0
                for found in _SYSLOG_DAY.finditer(data):
                    line += data.count(b"\n", at, found.start())
                    at = found.start()
                    stamps.append((line, _key(found)))
            else:
                step = size // _SAMPLES
                for offset in range(0, size, step):
                    handle.seek(offset)
                    piece = handle.read(_SAMPLE_BYTES)
                    start = 0 if offset == 0 else piece.find(b"\n") + 1
                    sampled = _SYSLOG_DAY.search(piece, start) if offset == 0 or start else None
                    if sampled is not None:
                        stamps.append((0, _key(sampled)))
                handle.seek(max(size - 64 * 1024, 0))
                last: re.Match[bytes] | None = None
                for final in _SYSLOG_DAY.finditer(handle.read()):
                    last = final
                if last is not None:
                    stamps.append((0, _key(last)))
    except OSError:
        return None
    if not stamps:
        return None
    rolls = [0]
    for (_line, before), (_next, after) in itertools.pairwise(stamps):
        rolls.append(rolls[-1] + year_step(before, after))
    written_key = written.strftime("%m-%d %H:%M:%S")
    end_year = written.year - (stamps[-1][1] > _day_later(written_key))
    first_year = end_year - rolls[-1]
    if stamps[0][0] == 0:  # sampled: the first line's year only
        return first_year, None
    by_line: list[tuple[int, int]] = []
    for (line, _stamp), roll in zip(stamps, rolls, strict=True):
        if not by_line or by_line[-1][1] != first_year + roll:
            by_line.append((line if by_line else 0, first_year + roll))
    return first_year, by_line


def _key(found: re.Match[bytes]) -> str:
    """A syslog stamp's "MM-DD HH:MM:SS"."""
    month = MONTHS[found.group(1).decode()]
    return f"{month:02d}-{int(found.group(2)):02d} {found.group(3).decode()}"


# A line that carries its year at its start: a script's (`2018/03/01_23:20:10  harc...` or
# `harc(default)[3047]:\t2018/03/01_23:20:09 info: ...`) or an ISO syslog line's.
_DATED_LINE = re.compile(
    rb"(?m)^(?:[^\s\[]+\[\d+\]:\s+)?(\d{4})(?:/(\d\d)/\d\d_|-(\d\d)-\d\dT)\d\d:\d\d:\d\d"
)


def first_dated(path: str) -> tuple[int, int] | None:
    """(year, month) of the first line in the first MiB of a regular file that says its year,
    for the syslog lines before it, which leave it out (YearGuess); None where there is none,
    or `path` is not a regular file (a pipe cannot be read twice)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open_log(path) as handle:
            start = handle.read(CHUNK)
    except (LogError, OSError, EOFError, lzma.LZMAError, zlib.error):
        return None
    match = _DATED_LINE.search(start)
    if match is None:
        return None
    month = int(match[2] or match[3])
    return (int(match[1]), month) if 1 <= month <= 12 else None


def dated(stamp: str) -> str:
    """2015/03/05_10:22:31 -> 2015-03-05 10:22:31"""
    return f"{stamp[0:4]}-{stamp[5:7]}-{stamp[8:10]} {stamp[11:19]}"


# What parse_fields returns: (time, month, host, entity, level, message, text). `time` is
# "YYYY-MM-DD HH:MM:SS"; for syslog lines, which leave the year out, it starts "0000" and `month`
# says which month to ask the YearGuess about (0 otherwise); "" when the line has no time.
Fields = tuple[str, int, str | None, str, str, str, str]


# ("Nov", "1") -> (11, "0000-11-01 "): a syslog date, read once per day of the log.
_DAYS: dict[tuple[str, str], tuple[int, str]] = {}


def _day(mon: str, day: str) -> tuple[int, str] | None:
    month = MONTHS.get(mon)
    if month is None or not 1 <= int(day) <= 31:
        return None
    _DAYS[mon, day] = month, f"0000-{month:02d}-{int(day):02d} "
    return _DAYS[mon, day]


_PROGRAMS = (
    r"heartbeat|ipfail|ResourceManager|harc|mach_down|IPaddr2?|hb_standby|ccm|dopd|crmd|lrmd|"
    r"pengine|cib|Filesystem"
)
# `heartbeat: [1234]: info: ...` — a program's line with neither time nor host (a console copy).
_PROGRAM = re.compile(
    r"^(?P<entity>(?:" + _PROGRAMS + r")(?:\([^)\s]*\))?)(?:\[\d+\])?: (?P<rest>.*)$"
)
# Where a line of a known shape starts after the junk a copy leaves in front of it: a line
# number, a quote mark, a shell prompt, mojibake (`Â `, `ï»¿`).
_SHAPE_START = re.compile(
    r"(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d |\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d|"
    r"\d{4}-\d\d-\d\dT\d\d:|(?:" + _PROGRAMS + r")(?:\([^)\s]*\))?(?:\[\d+\])?: |"
    r"(?:EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug|INFO|WARNING|CRITICAL): )"
)


def parse_fields(raw: bytes, loose: bool = False) -> Fields | None:
    """What one line says, before anything that depends on the lines before it (the year, the
    node of a script line): so that pieces of a log can be read in parallel. `loose` (a pasted
    fragment): a line of no known shape is a message of its own, without time or level."""
    text = raw.decode("utf-8", "replace").rstrip("\r")
    match = _SYSLOG.match(text)  # the busiest shape first, without a call
    if match:
        mon, day, clock, host, entity, level, message = match.groups()  # _SYSLOG's, in order
        day_of = _DAYS.get((mon, day)) or _day(mon, day)
        if day_of is not None:
            month, prefix = day_of
            return prefix + clock, month, host, entity, _LEVEL_NAMES.get(level, ""), message, text
    if "\n" in text:  # a wrapped line, joined
        text = " ".join(part.strip() for part in text.split("\n"))
        fields = _fields(text, text)
    else:
        fields = _fields(text, text, tried_syslog=match is None)
    if fields is None:
        start = _SHAPE_START.search(text, 1, 120)
        if start is not None:
            fields = _fields(text[start.start() :], text)
    if fields is None and loose:
        level, message = _level_and_message(text.strip(" >*\t`\ufeff\xa0"))
        return "", 0, None, "", level, message, text
    return fields


def _fields(line: str, text: str, tried_syslog: bool = False) -> Fields | None:
    if "`" in line or line[:1] in "> *\t":
        stripped, tried_syslog = line.replace("`", "").strip("> *\t"), False
    else:
        stripped = line
    match = None if tried_syslog else _SYSLOG.match(stripped)
    if match:
        mon, day, clock, host, entity, level, message = match.groups()  # _SYSLOG's, in order
        day_of = _DAYS.get((mon, day)) or _day(mon, day)
        if day_of is None:
            return None
        month, prefix = day_of
        return prefix + clock, month, host, entity, _LEVEL_NAMES.get(level, ""), message, text
    match = _SCRIPT.match(stripped) or _LEGACY.match(stripped)
    if match:
        level, message = _level_and_message(match.group("rest"))
        return dated(match.group("stamp")), 0, None, match.group("entity"), level, message, text
    match = _DATED.match(stripped)
    if match:
        level, message = _level_and_message(match.group("rest"))
        return dated(match.group("stamp")), 0, None, "", level, message, text
    match = _BARE.match(stripped)
    if match:
        level, message = _level_and_message(match.group("rest"))
        return "", 0, None, "", level, message.replace("**", ""), text
    match = _ISO.match(stripped)
    if match:
        when = match.group("iso").replace("T", " ")
        level, message = _level_and_message(match.group("rest"))
        return when, 0, match.group("host"), match.group("entity"), level, message, text
    match = _PROGRAM.match(stripped)
    if match:
        level, message = _level_and_message(match.group("rest"))
        return "", 0, None, match.group("entity").split("(")[0], level, message, text
    return None


# A line that is only the head of a message a web page or a terminal wrapped onto the next line:
# `Nov 24 23:12:42 node2 heartbeat: [22137]: info:` (then `Received shutdown notice ...`).
_HEAD_ONLY = re.compile(
    rb"(?:\]:|\d\d:\d\d:\d\d)\s+(?:(?:EMERG|ALERT|CRIT|ERROR|WARN|notice|info|debug|INFO|WARNING|"
    rb"CRITICAL):)?\s*$"
)


# The start of a line of its own (a time stamp, or `program[pid]: `): never a wrapped message.
_LINE_START = re.compile(
    rb"\s*(?:[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d|\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d|"
    rb"\d{4}-\d\d-\d\dT\d\d:|[\w().:/-]+\[\d+\]: )"
)


def wanted_lines(
    body: bytes, number: int, filters: Filters, thorough: bool = False
) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for the lines of `body` that may matter, judged one by one (the
    general path: every shape, and a last line without its line end); `number` lines came
    before. `thorough` (a pasted fragment, a small log) also keeps lines of no known shape that
    name a needle, and joins a wrapped line's head to its message. For a piece of whole lines
    of the usual shapes, digest.digest has a faster path."""
    lines = body.split(b"\n")
    if not lines[-1]:
        lines.pop()
    needles = filters.needles
    head: tuple[int, bytes] | None = None
    for line in lines:
        number += 1
        if head is not None:
            head_number, head_line = head
            head = None
            if line.strip() and not _LINE_START.match(line):
                joined = head_line.rstrip(b"\r") + b" " + line.lstrip()
                if _wanted(joined, filters) or needles.search(joined):
                    yield head_number, joined
                continue
            # the head was a whole line (a message left empty): judged on its own
            if _wanted(head_line, filters) or needles.search(head_line):
                yield head_number, head_line
        if thorough and _HEAD_ONLY.search(line) and len(line) < 200:
            head = (number, line)
            continue
        if _wanted(line, filters) or (thorough and needles.search(line)):
            yield number, line
    if head is not None and (_wanted(head[1], filters) or needles.search(head[1])):
        yield head


class Sequencer:
    """What a line means given the lines before it in the same file: the year syslog leaves out,
    the node of a script line (the last daemon line's), the time of a line without one."""

    def __init__(
        self,
        path: str,
        year: int,
        month: int = 0,
        written: str = "",
        by_line: list[tuple[int, int]] | None = None,
    ) -> None:
        self.path = path
        self.years = YearGuess(year, month, written, by_line)
        self.node: str | None = None
        self.last_time = ""
        # the month of the last syslog line, and its year as text (Diagnoser.feed_records
        # does what `event` does, inline)
        self.month = 0
        self.year_text = ""

    def event(
        self,
        number: int,
        when: str,
        month: int,
        host: str | None,
        entity: str,
        level: str,
        message: str,
        text: str,
    ) -> Event:
        """The event of a line numbered `number`, whose fields parse_fields read."""
        if month:
            if month != self.month or number >= self.years.next_line:  # (see YearGuess)
                self.month, self.year_text = month, f"{self.years.at(month, when[5:], number):04d}"
            when = self.year_text + when[4:]
        elif when:
            self.years.seen(when)
            self.month = 0
        else:
            when = self.last_time
        self.last_time = when
        node = host or self.node
        if host and (entity in ("heartbeat", "ipfail") or self.node is None):
            self.node = host
        return Event(when, node, entity, level, message, self.path, number, text)

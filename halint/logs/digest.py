"""A log file as classified events, in file order, read by this process or, for a large plain
file, by worker processes that read, parse and classify pieces of it in parallel.

Everything that depends on earlier lines (the year syslog leaves out, the node of a script
line, line numbers) is settled here, in order, by one `Sequencer`; the workers only do what
each line says on its own (`parse_fields`, `classify`), which is most of the work.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, BinaryIO

from halint.i18n import _, os_reason
from halint.logs.classify import Hits, classify, seen_hits
from halint.logs.compact import Piece, Record, new_piece, records_of
from halint.logs.needles import filters
from halint.logs.reader import (
    CHUNK,
    MAX_NUL_CHUNKS,
    MONTHS,
    SCRIPT_STAMP,
    WANTED_START,
    Event,
    LogError,
    Sequencer,
    chunks,
    dated,
    first_dated,
    judged,
    open_log,
    parse_fields,
    rare,
    stream_kind,
    syslog_calendar,
    wanted_lines,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# A line that matters: its number within the piece, the fields parse_fields read from it, and
# what classify found (halint.logs.compact: most lines travel as a stamp and a reference to
# their text). Plain tuples, lists, dicts, strings and ints: the workers' pieces cross a pipe
# with marshal (15% faster than pickle for these), flat because a flat tuple is written and
# read twice as fast as nested ones. (marshal here only ever reads what our own worker wrote a
# moment before, never anything from the input.)


@dataclass(frozen=True, slots=True)
class Parallel:
    """When and how to spread a file over worker processes."""

    workers: int
    min_size: int = 16 * 1024 * 1024  # below this, starting workers costs more than it saves
    # Small enough that a piece and its records stay in a CPU's cache: at 524 MB on 2 CPUs,
    # 128 KiB pieces read 5% faster than 1 MiB ones, and 2-4 MiB ones 10% slower.
    piece: int = 128 * 1024


# Never split: every log is read by this process.
IN_PROCESS = Parallel(workers=1, min_size=1 << 62)


def default_parallel() -> Parallel | None:
    """One worker per CPU this process may use and one more (the reader itself needs about a
    third of a CPU, which the extra worker fills), up to four; none on one CPU, or where
    processes cannot be forked."""
    if not hasattr(os, "fork"):
        return None
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return Parallel(workers=min(cpus + 1, 4)) if cpus >= 2 else None


def digest(body: bytes, number: int = 0, thorough: bool = False) -> Piece:
    """The lines of `body` that matter, parsed and classified; `number` lines came before.
    `body` holds whole lines, except perhaps the last (the end of the log, or of a piece).
    `thorough`, for a log small enough to be a paste: every line judged on its own, lines of
    no known shape that name a needle kept, wrapped lines joined."""
    return digest_counted(body, number, thorough)[1]


def digest_counted(body: bytes, number: int = 0, thorough: bool = False) -> tuple[int, Piece]:
    """digest(), and how many line ends `body` holds (counted on the way: counting a piece's
    line ends once more costs a tenth of reading it)."""
    piece = new_piece()
    cut = body.rfind(b"\n") + 1
    whole = body if cut == len(body) else body[:cut]
    records, numbers, at_stamps, refs = piece[1], piece[2], piece[4], piece[5]
    if cut and not thorough and not rare(whole):
        if _compact_pays():
            ends = _digest_repeating(whole, number, piece)
            if ends is None:
                ends = _digest_usual(whole, number, piece)
            _COMPACT["paid"] = int(len(piece[0]) * 2 <= len(numbers))
        else:
            ends = _digest_whole(whole, number, records)
        slow, number = body[cut:], number + ends  # the last line, if unended
    else:
        slow, ends = body, body.count(b"\n")
    for line_number, raw in wanted_lines(slow, number, filters(), thorough):
        fields = parse_fields(raw, loose=thorough)
        if fields is not None:
            when, month, host, entity, level, message, text = fields
            hits = classify(message)
            if numbers:  # (no numbers: the piece is its records)
                numbers.append(line_number)
                at_stamps.append(-1)
                refs.append(len(records))
            records.append((line_number, when, month, host, entity, level, message, text, hits))
    return ends, piece


# Whether the compact form pays, judged piece by piece: where a text seldom comes twice in a
# piece (a busy syslog, each line from a new process), a piece is sent as whole records, and
# the compact form is tried again on every 16th piece only.
_COMPACT = {"pieces": 0, "paid": 1}


def _compact_pays() -> bool:
    _COMPACT["pieces"] += 1
    return bool(_COMPACT["paid"]) or _COMPACT["pieces"] % 16 == 0


# A syslog line is `Mmm dd hh:mm:ss ` (16 bytes) and a rest that a running daemon writes again
# and again (its host, program, pid and message: "node2 heartbeat: [3021]: info: Link node1:eth0
# up."): each rest is parsed and classified once per piece (see halint.logs.compact).
_DAY_OF: dict[bytes, tuple[int, str]] = {}  # b"Nov 24" -> (11, "0000-11-24 ")
# The head of a syslog line's rest, up to its message, as parse_fields read it: b"node1
# heartbeat: [3021]: WARN: " -> ("node1", "heartbeat", "WARN"). Bounded: no more are kept.
_HEADS: dict[bytes, tuple[str | None, str, str]] = {}
_HEADS_MAX = 8192
_MONTH_NAMES = frozenset(m.encode() for m in MONTHS)
# The time of a plain stamp, after its date: ` hh:mm:ss ` (parse_fields's, without fractions).
_CLOCK = re.compile(rb" \d\d:\d\d:\d\d ")


def _head_key(head: bytes) -> bytes:
    """A head as _HEADS keeps it: without the digits of its first `[pid]` after the host (a
    daemon's or a script's process id, new with each run — a busy syslog's heads would
    otherwise each be new); what parse_fields reads from a head does not depend on them."""
    space = head.find(b" ")
    opening = head.find(b"[", space) if space >= 0 else -1
    if opening < 0:
        return head
    closing = head.find(b"]", opening)
    if closing > opening + 1 and head[opening + 1 : closing].isdigit():
        return head[: opening + 1] + head[closing:]
    return head


def _lines_wanted(body: bytes, number: int) -> Iterator[tuple[int, int, int, int]]:
    """(line number, start, end, where its message starts) of each line of `body` the
    filters' one search in C finds, once per line; `number` lines came before `body`. (The
    line ends `body` holds: see _ends.)"""
    rfind, count, find = body.rfind, body.count, body.find
    counted_to, last_start = 0, -1
    for match in filters().wanted.finditer(body):
        start = rfind(b"\n", 0, match.start()) + 1
        if start == last_start:  # a second match in the same line
            continue
        last_start = start
        number += count(b"\n", counted_to, start)
        counted_to = start
        at = match.end()  # (the search ends where the message starts)
        yield number + 1, start, find(b"\n", at), at


def _ends(body: bytes, number: int, line: int, start: int) -> int:
    """How many line ends `body` holds, whose last line _lines_wanted gave is `line`, at
    `start` (line number + 1 and 0 when it gave none); `number` lines came before `body`."""
    return line - 1 - number + body.count(b"\n", start)


def _new_stamp(stamp: bytes, stamps: list[str], stamp_at: dict[bytes, int]) -> int:
    """The index in the piece's stamps of a line's first 16 bytes, new to the piece: -1 where
    they are not a plain syslog stamp."""
    at_stamp = -1
    if stamp[:6] in _DAY_OF and _CLOCK.match(stamp, 6) is not None:
        at_stamp = len(stamps)
        stamps.append(stamp.decode())
    stamp_at[stamp] = at_stamp
    return at_stamp


def _digest_usual(body: bytes, number: int, piece: Piece) -> int:
    """digest() for whole lines of the usual shapes: one search in C finds the messages that
    matter, and only their lines are cut out; a plain syslog line whose rest came before in
    the piece is only its stamp and a reference (see halint.logs.compact). (The busiest loop
    of diagnose: kept flat, the caches tried before the calls.) Returns how many line ends
    `body` holds."""
    numbers, stamps, at_stamps, refs = piece[2], piece[3], piece[4], piece[5]
    in_piece: dict[bytes, int] = {}  # rest -> its index in entries
    stamp_at: dict[bytes, int] = {}  # stamp -> its index in stamps (-1: not plain)
    line, start = number + 1, 0
    for line, start, end, at in _lines_wanted(body, number):
        stamp = body[start : start + 16]
        at_stamp = stamp_at.get(stamp)
        if at_stamp is None:
            at_stamp = _new_stamp(stamp, stamps, stamp_at)
        rest = body[start + 16 : end]
        ref = in_piece.get(rest) if at_stamp >= 0 else None
        if ref is not None:
            numbers.append(line)
            at_stamps.append(at_stamp)
            refs.append(ref)
            continue
        _new_text(body[start:end], at - start, line, at_stamp, piece, in_piece, stamp_at)
    return _ends(body, number, line, start)


def _digest_repeating(body: bytes, number: int, piece: Piece) -> int | None:
    """_digest_usual for a piece whose texts repeat (an ha-log, where a daemon writes the same
    few lines again and again): each line's rest after a plain stamp is looked up before
    anything is searched, so a text seen before in the piece — one that matters or not —
    costs a look-up, not a search. Returns how many line ends `body` holds; None, and the
    piece left empty, where a line's message may go on on the next — it ends in a level's
    colon (`info:`, wrapped) or a time stamp — which only the search over the whole piece
    finds (_digest_usual)."""
    numbers, stamps, at_stamps, refs = piece[2], piece[3], piece[4], piece[5]
    search = filters().wanted.search
    in_piece: dict[bytes, int] = {}  # rest -> its index in entries (-1: it does not matter)
    stamp_at: dict[bytes, int] = {}  # stamp -> its index in stamps (-1: not plain)
    unwanted: set[bytes] = set()  # a line's end, from its first `]:`, that does not matter
    lines = body.split(b"\n")  # (the last one is empty)
    for line, raw in enumerate(lines, number + 1):
        stamp = raw[:16]
        at_stamp = stamp_at.get(stamp)
        if at_stamp is None:
            at_stamp = _new_stamp(stamp, stamps, stamp_at)
        if at_stamp >= 0:
            rest = raw[16:]
            ref = in_piece.get(rest)
            if ref is not None:
                if ref >= 0:
                    numbers.append(line)
                    at_stamps.append(at_stamp)
                    refs.append(ref)
                continue
        # what the search finds starts at a `]:`: a line without one does not matter, and
        # whether one with one matters depends only on what follows its first (the rest of a
        # script's line after its stamp and pid: "]:    info: Running .../rc.d/status status")
        start = raw.find(WANTED_START)
        tail = raw[start:] if start >= 0 else b""
        if start < 0 or tail in unwanted:
            if at_stamp >= 0:
                in_piece[rest] = -1
            continue
        line_end = raw.rstrip()[-3:]
        if line_end[-1:] == b":" or (line_end[:1] == b":" and line_end[1:].isdigit()):
            for part in piece:
                part.clear()
            return None
        match = search(raw, start)
        if match is None:
            unwanted.add(tail)
            if at_stamp >= 0:
                in_piece[rest] = -1
            continue
        _new_text(raw, match.end(), line, at_stamp, piece, in_piece, stamp_at)
    return len(lines) - 1


def _new_text(
    raw: bytes,
    at: int,
    line: int,
    at_stamp: int,
    piece: Piece,
    in_piece: dict[bytes, int],
    stamp_at: dict[bytes, int],
) -> None:
    """A line that matters whose rest is new to the piece (or that has no plain stamp), its
    message starting at `at`: read, classified, and added to the piece as an entry (a plain
    syslog line) or a record."""
    entries, records, numbers, stamps, at_stamps, refs = piece
    heads = _HEADS
    plain = at_stamp >= 0
    rest = raw[16:]
    # a new text in the piece after a known head (its host, program, pid and level): only the
    # message is read anew ("Late heartbeat: ... interval 5234 ms" comes each time with its own
    # interval)
    head = heads.get(_head_key(raw[16:at])) if plain and at > 16 else None
    if head is not None and b"\n" not in rest and raw[-1:] != b"\r":
        message = raw[at:].decode("utf-8", "replace")
        cached = seen_hits()(message)
        hits = cached if cached is not None else classify(message)
        ref = in_piece[rest] = len(entries)
        entries.append((*head, message, rest.decode("utf-8", "replace"), hits))
        numbers.append(line)
        at_stamps.append(at_stamp)
        refs.append(ref)
        return
    fields = parse_fields(raw)
    if fields is None:
        return
    when, month, host, entity, level, message, text = fields
    cached = seen_hits()(message)
    hits = cached if cached is not None else classify(message)
    # (a plain stamp and a syslog line's fields: plain unless it is wrapped or ends in \r)
    if month and (b"\n" not in rest and raw[-1:] != b"\r" if plain else _plain_syslog(raw, when)):
        _DAY_OF[raw[:6]] = (month, when[:11])
        if (
            cached is None  # a message new to this worker: its head is remembered
            and at > 16
            and len(heads) < _HEADS_MAX
            and text[at:] == message
        ):
            heads[_head_key(raw[16:at])] = (host, entity, level)
        ref = in_piece[rest] = len(entries)
        entries.append((host, entity, level, message, text[16:], hits))
        if at_stamp < 0:  # (its date was new to this worker)
            at_stamp = stamp_at[raw[:16]] = len(stamps)
            stamps.append(text[:16])
        numbers.append(line)
        at_stamps.append(at_stamp)
        refs.append(ref)
        return
    numbers.append(line)
    at_stamps.append(-1)
    refs.append(len(records))
    records.append((line, when, month, host, entity, level, message, text, hits))


def _digest_whole(body: bytes, number: int, records: list[Record]) -> int:
    """_digest_usual's search, for a piece whose texts seldom repeat: each line that matters
    made a whole Record; returns how many line ends `body` holds. (The busiest loop on a
    busy syslog: the heads of syslog lines and of script lines looked up, each stamp's time
    made once per piece.)"""
    append, seen, heads, day_of = records.append, seen_hits(), _HEADS, _DAY_OF
    rfind, find = body.rfind, body.find
    clock_of: dict[bytes, tuple[str, int] | None] = {}  # stamp -> (time, month), see _clock
    line, start = number + 1, 0
    for line, start, end, at in _lines_wanted(body, number):
        key = head = None
        script = body[start + 4 : start + 5] == b"/"
        if script:
            # `2026/11/24_21:00:36  ResourceManager(default)[11334]:    ERROR: ...`: the head
            # after the stamp, without the script's pid (the match starts after it)
            opening = rfind(b"[", start, at)
            closing = find(b"]:", opening, at) if opening > start + 19 else -1
            if closing > opening + 1 and body[opening + 1 : closing].isdigit():
                key = b"\n" + body[start + 19 : opening + 1] + body[closing:at]
                head = heads.get(key)
        elif at > start + 16:
            key = _head_key(body[start + 16 : at])
            head = heads.get(key)
        raw = body[start:end]
        if head is not None and raw[-1:] != b"\r" and find(b"\n", start, end) < 0:
            stamp = raw[:19] if script else raw[:16]
            clock = clock_of.get(stamp, ())
            if clock == ():
                clock = clock_of[stamp] = _clock(stamp)
            if clock is not None:
                text = raw.decode("utf-8", "replace")
                message = (
                    text[at - start :] if raw.isascii() else body[at:end].decode("utf-8", "replace")
                )
                cached = seen(message)
                hits = cached if cached is not None else classify(message)
                host, entity, level = head
                append((line, *clock, host, entity, level, message, text, hits))
                continue
        fields = parse_fields(raw)
        if fields is None:
            continue
        when, month, host, entity, level, message, text = fields
        cached = seen(message)
        hits = cached if cached is not None else classify(message)
        append((line, when, month, host, entity, level, message, text, hits))
        if (
            head is None  # a head new to this worker is remembered
            and key is not None
            and len(heads) < _HEADS_MAX
            and text[at - start :] == message
            and (_plain_script(raw, when, host, month) if script else _plain_syslog(raw, when))
        ):
            heads[key] = (host, entity, level)
            if month:
                day_of[raw[:6]] = (month, when[:11])
    return _ends(body, number, line, start)


def _clock(stamp: bytes) -> tuple[str, int] | None:
    """(time, month) of a line's stamp, as parse_fields reads them: 16 bytes of a plain syslog
    stamp whose date this worker has read before ("0000-MM-DD hh:mm:ss", its month), or the
    19 of a script's (its time, 0); None where they are not one."""
    if len(stamp) == 19:
        if SCRIPT_STAMP.fullmatch(stamp) is None:
            return None
        return dated(stamp.decode()), 0
    day = _DAY_OF.get(stamp[:6])
    if day is None or _CLOCK.match(stamp, 6) is None:
        return None
    return day[1] + stamp[7:15].decode(), day[0]


def _plain_script(raw: bytes, when: str, host: str | None, month: int) -> bool:
    """A one-line script line (no carriage return) whose time parse_fields read from its first
    19 bytes: what follows them alone says what it says."""
    return (
        host is None
        and not month
        and when == dated(raw[:19].decode("ascii", "replace"))
        and not raw.endswith(b"\r")
        and b"\n" not in raw
    )


def _plain_syslog(raw: bytes, when: str) -> bool:
    """A one-line syslog line with the 16-byte head `Mmm dd hh:mm:ss ` and nothing before it
    or after it (no carriage return): its rest alone says what it says."""
    return (
        raw[:3] in _MONTH_NAMES
        and raw[3:4] == b" "
        and raw[6:7] == b" "
        and raw[15:16] == b" "
        and raw[7:15] == when[11:].encode()
        and not raw.endswith(b"\r")
        and b"\n" not in raw
    )


def events_of(handle: BinaryIO, path: str, year: int) -> Iterator[Event]:
    """The Heartbeat events read from an open binary stream (the caller closes it)."""
    sequencer = Sequencer(path, year)
    for number, body, thorough in _judged(chunks(handle, path)):
        for record in records_of(digest(body, number, thorough)):
            yield sequencer.event(*record[:8])


# A log smaller than this is read as a paste (see _judged).
PASTE_SIZE = CHUNK


def _judged(pieces: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, bytes, bool]]:
    """The pieces of a stream, each with whether to read it thoroughly: a log that fits in
    one piece is small enough to be a paste (read line by line, every shape)."""
    held: list[tuple[int, bytes]] = []
    size = 0
    for piece in pieces:
        held.append(piece)
        size += len(piece[1])
        if size >= PASTE_SIZE:
            for number, body in held:
                yield number, body, False
            for number, body in pieces:
                yield number, body, False
            return
    for number, body in held:
        yield number, body, True


Classified = tuple[Event, Hits]


def read_classified(path: str, parallel: Parallel | None = None) -> Iterator[Classified]:
    """The events of one log with their classification, in file order."""
    for batch in read_batches(path, parallel):
        yield from batch


def read_records(
    path: str, parallel: Parallel | None = None
) -> tuple[Sequencer, Iterator[tuple[int, Piece]]]:
    """The lines of one log that matter, in file order, a piece at a time (with the line
    number the piece's numbers count from), and the Sequencer that makes them events."""
    written = datetime.now()
    month = 0
    if path != "-":
        with contextlib.suppress(OSError, ValueError, OverflowError):
            written = datetime.fromtimestamp(os.stat(path).st_mtime)
    fallback = written.year
    # syslog lines before the first line that says its year take that line's
    dated_first = first_dated(path) if path != "-" else None
    calendar = syslog_calendar(path, written) if path != "-" and dated_first is None else None
    by_line = None
    if dated_first is not None:
        fallback, month = dated_first
    elif calendar is not None:  # no line says its year: counted back from the file's date
        fallback, by_line = calendar
    stamp = "" if month or calendar is not None else written.strftime("%m-%d %H:%M:%S")
    sequencer = Sequencer(shown_path(path), fallback, month, stamp, by_line)
    if parallel is not None and _splittable(path, parallel):
        return sequencer, _parallel_batches(path, parallel)
    return sequencer, _batches(path)


def read_batches(path: str, parallel: Parallel | None = None) -> Iterator[list[Classified]]:
    """The events of one log with their classification, in file order, a piece at a time."""
    sequencer, batches = read_records(path, parallel)
    event = sequencer.event
    for base, piece in batches:
        yield [
            (event(base + number, when, month, host, entity, level, message, text), hits)
            for number, when, month, host, entity, level, message, text, hits in records_of(piece)
        ]


def shown_path(path: str) -> str:
    """A log's name where the report says which file a line is from: `-` is standard input."""
    from halint.sources import STDIN

    return STDIN if path == "-" else path


def _batches(path: str) -> Iterator[tuple[int, Piece]]:
    handle = open_log(path)
    try:
        for number, body, thorough in _judged(chunks(handle, shown_path(path))):
            yield 0, digest(body, number, thorough)
    finally:
        if path != "-":
            handle.close()


def _splittable(path: str, parallel: Parallel) -> bool:
    """A plain regular file large enough to be worth splitting (compressed files and pipes are
    read in one stream)."""
    if path == "-":
        return False
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size < parallel.min_size:
            return False
        with open(path, "rb") as handle:
            start = handle.read(4096)
    except OSError:
        return False
    return stream_kind(start) is None


def _boundary(descriptor: int, size: int, index: int, piece: int) -> int:
    """Where piece `index` starts: just after the first line end at or after index * piece (or
    right there, in a line longer than 64 kB, which is not one of Heartbeat's). Each piece's
    bounds follow from its index alone, so every worker finds its own."""
    at = index * piece
    if index == 0 or at >= size:
        return min(at, size)
    for window in (512, 64 * 1024):  # a line is short; the long window only in binary junk
        newline = os.pread(descriptor, window, at).find(b"\n")
        if newline >= 0:
            return at + newline + 1
    return at


def _piece_count(size: int, piece: int) -> int:
    return max(1, -(-size // piece))


def _pieces(path: str, piece: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the consecutive pieces of about `piece` bytes a file is read in."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size
        bounds = [_boundary(descriptor, size, i, piece) for i in range(_piece_count(size, piece))]
    finally:
        os.close(descriptor)
    yield from zip(bounds, [*bounds[1:], size], strict=True)


def _work(path: str, size: int, indexes: range, piece: int, out: Connection) -> None:
    """A worker's life: digest every piece in `indexes` and send each, in order, down `out`.
    A full pipe holds it back until the reader has caught up, so memory stays flat."""
    import marshal
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the reader's to handle
    try:
        descriptor = os.open(path, os.O_RDONLY)
        for index in indexes:
            start = _boundary(descriptor, size, index, piece)
            end = _boundary(descriptor, size, index + 1, piece)
            body = os.pread(descriptor, end - start, start)
            result = digest_counted(body)
            out.send_bytes(marshal.dumps(result))
    except BrokenPipeError:
        pass  # the reader stopped early
    except BaseException as error:  # reported by the reader, as one line
        with contextlib.suppress(OSError):
            out.send_bytes(marshal.dumps((None, str(error) or type(error).__name__)))


def _start_workers(
    path: str, size: int, count: int, piece: int, workers: int
) -> tuple[list[Connection], list[int]]:
    """Fork `workers` processes; worker k reads pieces k, k + workers, ... Returns the pipes
    to read them from and the processes' ids."""
    from multiprocessing.connection import Pipe

    readers: list[Connection] = []
    pids: list[int] = []
    for k in range(workers):
        reader, writer = Pipe(duplex=False)
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            for other in readers:
                other.close()
            reader.close()
            try:
                _work(path, size, range(k, count, workers), piece, writer)
            finally:
                os._exit(0)
        writer.close()
        readers.append(reader)
        pids.append(pid)
    return readers, pids


def _parallel_batches(path: str, parallel: Parallel) -> Iterator[tuple[int, Piece]]:
    """Pieces digested by forked workers, handed on in file order. Each worker is at most one
    piece ahead of the reader, so memory stays flat whatever the file's size."""
    import marshal
    import signal

    classify("")  # compile the needles and the filters once, before the workers are forked
    filters()
    try:
        size = os.stat(path).st_size  # a growing log is read up to here
        unjudged = MAX_NUL_CHUNKS  # the start judged as `chunks` judges a stream's
        with open(path, "rb") as handle:
            while unjudged and (chunk := handle.read(CHUNK)):
                unjudged = judged(chunk, unjudged, path)
    except OSError as error:
        raise LogError(
            _("{path}: cannot be read ({error})").format(
                path=path, error=os_reason(error.strerror or str(error))
            )
        ) from None
    count = _piece_count(size, parallel.piece)
    workers = max(1, min(parallel.workers, count))
    readers, pids = _start_workers(path, size, count, parallel.piece, workers)
    try:
        base = 0
        for index in range(count):
            try:
                lines, piece = marshal.loads(readers[index % workers].recv_bytes())
            except EOFError:
                raise LogError(
                    _("{path}: a reading process ended early").format(path=path)
                ) from None
            if lines is None:
                raise LogError(f"{path}: {piece}")
            yield base, piece
            base += lines
    finally:
        for reader in readers:
            reader.close()
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)


def merged(paths: list[str], parallel: Parallel | None = None) -> Iterator[Classified]:
    """Several logs (rotated files, both nodes' logs) merged into one time order. Read together,
    they share the workers."""
    for batch in merged_batches(paths, parallel):
        yield from batch


def merged_batches(
    paths: list[str], parallel: Parallel | None = None
) -> Iterator[list[Classified]]:
    """merged(), a batch at a time (one log: its pieces; several: 4096 events merged)."""
    if len(paths) == 1:
        yield from read_batches(paths[0], parallel)
        return
    if parallel is not None:
        parallel = Parallel(
            max(1, parallel.workers // len(paths)), parallel.min_size, parallel.piece
        )
    streams = [read_classified(p, parallel) for p in paths]
    events = heapq.merge(*streams, key=lambda item: item[0].time)
    while batch := list(itertools.islice(events, 4096)):
        yield batch

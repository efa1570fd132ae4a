"""A log file as classified events, in file order, read by this process or, for a large plain
file, by worker processes that read, parse and classify pieces of it in parallel.

Everything that depends on earlier lines (the year syslog leaves out, the node of a script
line, line numbers) is settled here, in order, by one `Sequencer`; the workers only do what
each line says on its own (`parse_fields`, `classify`), which is most of the work.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import stat
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from halint.logs.classify import Hits, classify
from halint.logs.reader import (
    CHUNK,
    Event,
    LogError,
    Sequencer,
    chunks,
    open_log,
    parse_fields,
    wanted_lines,
)

# A line that matters: its number within the piece, the fields parse_fields read from it, and
# what classify found. Flat (not nested tuples): the workers' records cross a pipe, and a flat
# tuple is pickled and unpickled twice as fast.
Record = tuple[int, str, int, str | None, str, str, str, str, Hits]


@dataclass(frozen=True, slots=True)
class Parallel:
    """When and how to spread a file over worker processes."""

    workers: int
    min_size: int = 16 * 1024 * 1024  # below this, starting workers costs more than it saves
    piece: int = CHUNK


# Never split: every log is read by this process.
IN_PROCESS = Parallel(workers=1, min_size=1 << 62)


def default_parallel() -> Parallel | None:
    """One worker per CPU this process may use, up to four; none on one CPU, or where
    processes cannot be forked."""
    if not hasattr(os, "fork"):
        return None
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return Parallel(workers=min(cpus, 4)) if cpus >= 2 else None


def digest(body: bytes, number: int = 0) -> list[Record]:
    """The lines of `body` that matter, parsed and classified; `number` lines came before."""
    records: list[Record] = []
    for line_number, raw in wanted_lines(body, number):
        fields = parse_fields(raw)
        if fields is not None:
            when, month, host, entity, level, message, text = fields
            hits = classify(message)
            records.append((line_number, when, month, host, entity, level, message, text, hits))
    return records


def read_classified(path: str, parallel: Parallel | None = None) -> Iterator[tuple[Event, Hits]]:
    """The events of one log with their classification, in file order."""
    fallback = datetime.now().year
    if path != "-":
        with contextlib.suppress(OSError):
            fallback = datetime.fromtimestamp(os.stat(path).st_mtime).year
    sequencer = Sequencer(path, fallback)
    if parallel is not None and _splittable(path, parallel):
        batches = _parallel_batches(path, parallel)
    else:
        batches = _batches(path)
    event = sequencer.event
    for base, records in batches:
        for number, when, month, host, entity, level, message, text, hits in records:
            yield event(base + number, when, month, host, entity, level, message, text), hits


def _batches(path: str) -> Iterator[tuple[int, list[Record]]]:
    handle = open_log(path)
    try:
        for number, body in chunks(handle):
            yield 0, digest(body, number)
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
            magic = handle.read(6)
    except OSError:
        return False
    return not magic.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00"))


def _pieces(path: str, piece: int) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of about `piece` bytes, cut after a line end (or, in
    a line longer than a piece, which is not one of Heartbeat's, anywhere)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        size = os.fstat(descriptor).st_size
        start = 0
        while start < size:
            end = start + piece
            if end < size:
                window = os.pread(descriptor, 64 * 1024, end)
                newline = window.find(b"\n")
                end = end + newline + 1 if newline >= 0 else end
            end = min(end, size)
            yield start, end
            start = end
    finally:
        os.close(descriptor)


def _digest_piece(path: str, start: int, end: int) -> tuple[int, list[Record]]:
    """In a worker: the piece's line count and its records, numbered from the piece's start."""
    with open(path, "rb") as handle:
        handle.seek(start)
        body = handle.read(end - start)
    return body.count(b"\n"), digest(body)


def _parallel_batches(path: str, parallel: Parallel) -> Iterator[tuple[int, list[Record]]]:
    """Pieces digested by a pool of forked workers, handed on in file order. At most one piece
    per worker (and one more) is in flight, so memory stays flat whatever the file's size."""
    import multiprocessing

    classify("")  # compile the needles once, before the workers are forked
    context = multiprocessing.get_context("fork")
    pieces = _pieces(path, parallel.piece)
    base = 0
    with context.Pool(parallel.workers) as pool:
        in_flight: deque = deque()
        for start, end in pieces:
            in_flight.append(pool.apply_async(_digest_piece, (path, start, end)))
            if len(in_flight) > parallel.workers:
                break
        while in_flight:
            try:
                lines, records = in_flight.popleft().get()
            except OSError as error:
                raise LogError(f"{path}: {error.strerror or error}") from None
            following = next(pieces, None)
            if following is not None:
                in_flight.append(pool.apply_async(_digest_piece, (path, *following)))
            yield base, records
            base += lines


def merged(paths: list[str], parallel: Parallel | None = None) -> Iterator[tuple[Event, Hits]]:
    """Several logs (rotated files, both nodes' logs) merged into one time order. Read together,
    they share the workers."""
    if parallel is not None and len(paths) > 1:
        parallel = Parallel(
            max(1, parallel.workers // len(paths)), parallel.min_size, parallel.piece
        )
    streams = [read_classified(p, parallel) for p in paths]
    if len(streams) == 1:
        yield from streams[0]
        return
    yield from heapq.merge(*streams, key=lambda item: item[0].time)

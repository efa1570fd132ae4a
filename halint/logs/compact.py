"""What a worker sends for a piece of a log: each distinct line text once, then per line only
its number, its time stamp and which text it is.

A running daemon writes the same few lines again and again ("node2 heartbeat: [3021]: info:
Link node1:eth0 up."), with a new time stamp each time; in a flapping cluster's ha-log nearly
every line is one written before. So a syslog line of the plain shape `Mmm dd hh:mm:ss rest`
travels as its 16-byte stamp and a reference to its rest, which the worker parsed and
classified once in the piece: the reader then settles what the rest says once per piece too
(Diagnoser.feed_piece), and only the time anew for each line. A line of any other shape travels
whole, as a Record.

Plain lists of strings, ints and tuples: marshal writes and reads them (see digest.Record).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from halint.logs.reader import MONTHS

if TYPE_CHECKING:
    from halint.logs.classify import Hits

# A line text after its stamp, as parse_fields read it: (host, program, level, message, the
# rest of the line as text, what classify found in the message).
Entry = tuple[str | None, str, str, str, str, "Hits"]
# A whole line (digest.Record's shape): (number, time, month, host, entity, level, message,
# text, hits).
Record = tuple[int, str, int, str | None, str, str, str, str, "Hits"]
# (entries, records, numbers, stamps, at_stamps, refs): line k of the piece that matters is
# numbers[k]; its 16-character stamp ("Nov 24 21:00:23 ") is stamps[at_stamps[k]] and its rest
# entries[refs[k]], or, at_stamps[k] -1, refs[k] is its Record in records. (Lines come several
# a second: each stamp is sent once too.) No numbers: the piece is its records, in file order
# (a piece whose texts seldom repeat).
Piece = tuple[list[Entry], list[Record], list[int], list[str], list[int], list[int]]


def new_piece() -> Piece:
    return [], [], [], [], [], []


# "Nov 24" (or "Nov  4") -> (11, "0000-11-24 "): what parse_fields makes of a stamp's date.
_DAYS: dict[str, tuple[int, str]] = {}


def day_of(stamp: str) -> tuple[int, str]:
    """(month, "0000-MM-DD ") of a stamp the worker found plain (a month's name, a day of
    1 to 31)."""
    day = _DAYS.get(stamp[:6])
    if day is None:
        month = MONTHS[stamp[:3]]
        day = _DAYS[stamp[:6]] = month, f"0000-{month:02d}-{int(stamp[3:6]):02d} "
    return day


def records_of(piece: Piece) -> list[Record]:
    """The piece's lines as whole Records, in file order (for readers that merge logs)."""
    entries, records, numbers, stamps, at_stamps, refs = piece
    if not numbers:
        return records
    whole: list[Record] = []
    for number, at_stamp, ref in zip(numbers, at_stamps, refs, strict=True):
        if at_stamp < 0:
            whole.append(records[ref])
            continue
        host, entity, level, message, rest, hits = entries[ref]
        stamp = stamps[at_stamp]
        month, prefix = day_of(stamp)
        whole.append(
            (number, prefix + stamp[7:15], month, host, entity, level, message, stamp + rest, hits)
        )
    return whole

"""The fuzz campaign: real configurations and logs, mutated, with canary keys put where authkeys
and Heartbeat's log can hold them, through every command and format halint has.

One property (`check_case`, `diagnose_case`) and the strategies that feed it; the suite runs a
fixed seed of a few hundred examples (tests/test_fuzz.py) and `bench/fuzz.py --examples 10000`
runs it longer, printing each failure as a minimal reproducer and the slowest cases. A failure
raises one of the `Failure` classes below, each from its own line, so that Hypothesis shrinks
and reports each kind apart.

What a case may never do: raise (an internal error), exit other than 0, 1 or 2, print invalid
JSON or SARIF, print a canary, or run into the watchdog (a hang).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.conftest import FIXTURES, REPO, shared_dir
from tests.outputs import CANARY, Run, invoke

FILE_KINDS = ("ha.cf", "authkeys", "haresources")
KEY = f"{CANARY}c2f0a9e47b1d83a65e0c"
WATCHDOG_SECONDS = 20
# Mutations chain (a line repeated 3,000 times, then again): a case is cut to this size, well
# past what halint reads of a configuration file (32 KiB) and a few of diagnose's 1 MB pieces.
MAX_FILE = 256 * 1024
MAX_LOG = 4 * 1024 * 1024


# --- failures, one class and one raising line each -------------------------------------------


class Failure(AssertionError):
    """A case broke one of the rules above."""


class InternalError(Failure):
    pass


class CanaryShown(Failure):
    pass


class BadExit(Failure):
    pass


class InvalidDocument(Failure):
    pass


class Hang(Failure):
    pass


def judge(runs: list[Run]) -> None:
    for run in runs:
        problem = run.problem or ""
        if problem.startswith("internal error") or problem.startswith("a traceback"):
            raise InternalError(f"halint {' '.join(run.args)}: {problem}")
        if problem.startswith("a canary"):
            raise CanaryShown(f"halint {' '.join(run.args)}: {problem}")
        if problem.startswith("exit"):
            raise BadExit(f"halint {' '.join(run.args)}: {problem}")
        if problem.startswith("invalid"):
            raise InvalidDocument(f"halint {' '.join(run.args)}: {problem}")


@contextmanager
def watchdog(seconds: int = WATCHDOG_SECONDS) -> Iterator[None]:
    """A run that takes longer than this is a hang (the alarm interrupts Python code; halint
    never blocks in C: its reads are non-blocking)."""

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- the corpus ---------------------------------------------------------------------------------


def _node_folders() -> list[Path]:
    folders = [
        REPO / "examples" / "tutorial" / "ha.d",
        *sorted((REPO / "examples" / "cluster").glob("*")),
    ]
    folders += sorted(p for p in (FIXTURES / "hostile").glob("*") if p.is_dir())
    shared = shared_dir()
    if shared is not None:
        folders += sorted(p for p in (shared / "corpus" / "configs").glob("*") if p.is_dir())
    return folders


def _read(folder: Path) -> dict[str, bytes]:
    """A seed's files. The hostile fixtures hold keys with CANARY in them, copied into ha.cf
    and haresources too: renamed here, so that a canary in an output is always one the
    campaign put where only a key can be."""
    files = {}
    for kind in FILE_KINDS:
        path = folder / kind
        data = path.read_bytes() if path.is_file() else b""
        files[kind] = data.replace(CANARY.encode(), b"SEEDKEY")
    return files


def _logs() -> list[bytes]:
    paths = sorted((FIXTURES / "logs").rglob("*.log")) + sorted((FIXTURES / "logs").rglob("ha-log"))
    shared = shared_dir()
    if shared is not None:
        paths += sorted((shared / "corpus" / "logs").glob("*"))
    texts = []
    for path in paths:
        lines = path.read_bytes().splitlines(keepends=True)
        texts.append(b"".join(lines[:400]))  # a log's first 400 lines: enough to mutate
    return texts


CONFIGS: list[dict[str, bytes]] = [_read(f) for f in _node_folders()]
LOGS: list[bytes] = _logs()
ALL_LINES: list[bytes] = sorted(
    {line for c in CONFIGS for f in c.values() for line in f.splitlines()}
)


# --- mutations ------------------------------------------------------------------------------------

Draw = Callable[[st.SearchStrategy[Any]], Any]
JUNK = [
    b"\x00",
    b"\r",
    b"\t",
    b"\xff",
    b"\xef\xbb\xbf",
    "\u3000".encode(),
    "\u00a0".encode(),
    b"\x01",
    b"#",
    b"\\",
    b"::",
    b",",
    b"]",
    b"[",
    b"=",
    b"/",
    b" ",
]
HUGE_NUMBERS = [
    b"9" * 20,
    b"9" * 310,
    b"1" * 5000,
    b"-" + b"9" * 400,
    b"4294967990",
    b"1e308",
    b"0x10",
]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _join(lines: list[bytes]) -> bytes:
    return b"\n".join(lines)


def _at(draw: Draw, items: list[bytes]) -> int:
    index: int = draw(st.integers(0, max(len(items) - 1, 0)))
    return index


def delete_line(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    if lines:
        del lines[_at(draw, lines)]
    return _join(lines)


def duplicate_line(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    index = _at(draw, lines)
    times = draw(st.sampled_from([1, 2, 10, 101, 3000]))
    return _join(lines[:index] + [lines[index]] * times + lines[index:]) if lines else data


def swap_lines(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    a, b = _at(draw, lines), _at(draw, lines)
    if lines:
        lines[a], lines[b] = lines[b], lines[a]
    return _join(lines)


def foreign_line(draw: Draw, data: bytes) -> bytes:
    """A line of another file of the corpus (an ha.cf line in haresources, and so on)."""
    lines = _lines(data)
    lines.insert(_at(draw, lines), draw(st.sampled_from(ALL_LINES)))
    return _join(lines)


def insert_bytes(draw: Draw, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    junk = draw(st.one_of(st.sampled_from(JUNK), st.binary(min_size=1, max_size=8)))
    return data[:at] + junk + data[at:]


def replace_blanks(draw: Draw, data: bytes) -> bytes:
    blank = draw(st.sampled_from([b"\t", b",", "\u3000".encode(), b"\x00", b"", b"   ", b"\\\n"]))
    old = draw(st.sampled_from([b" ", b"\t"]))
    count = draw(st.sampled_from([1, 3, -1]))
    return data.replace(old, blank, count)


def huge_number(draw: Draw, data: bytes) -> bytes:
    lines = _lines(data)
    index = _at(draw, lines)
    words = lines[index].split(b" ") if lines else []
    if len(words) > 1:
        words[-1] = draw(st.sampled_from(HUGE_NUMBERS))
        lines[index] = b" ".join(words)
    return _join(lines)


def long_token(draw: Draw, data: bytes) -> bytes:
    """A word repeated: `::` chains, comma lists, continuation lines, a 6,000-byte line."""
    piece = draw(st.sampled_from([b"a::", b"x,", b"x \\\n", b"node ", b"#", b"\xff", b"1"]))
    times = draw(st.sampled_from([2, 200, 2000, 6000]))
    at = draw(st.integers(0, len(data)))
    return data[:at] + piece * times + data[at:]


def crlf(draw: Draw, data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def bom(draw: Draw, data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def truncate(draw: Draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def repeat_file(draw: Draw, data: bytes) -> bytes:
    """Past the size halint reads."""
    return (data + b"\n") * draw(st.sampled_from([2, 50, 500]))


CONFIG_OPS = [
    delete_line,
    duplicate_line,
    swap_lines,
    foreign_line,
    insert_bytes,
    replace_blanks,
    huge_number,
    long_token,
    crlf,
    bom,
    truncate,
    repeat_file,
]
LOG_OPS = [
    delete_line,
    duplicate_line,
    swap_lines,
    insert_bytes,
    replace_blanks,
    truncate,
    crlf,
    huge_number,
    long_token,
]

# Where a key can sit in authkeys, and what a file of the other kinds holding one looks like.
KEY_LINES = [
    f"1 sha1 {KEY}",
    f"1 {KEY}",
    f"1sha1{KEY}",
    f"1 sha1\u3000{KEY}",
    f"1 sha1\x00{KEY}",
    f"1\t{KEY}]x",
    f"1 md5 {KEY} trailing",
    f"1 crc {KEY}",
    f"#1 sha1 {KEY}",
    f"99 sha1 {KEY}",
    f"auth 1 {KEY}",
    f"also {KEY}",
    f"\x01 {KEY}",
    f"# halint: ignore[{KEY}]",
    f"2 SHA1 {KEY}",
]
# Heartbeat's messages that print authkeys material, as logged and as pasted.
KEY_MESSAGES = [
    "ERROR: Invalid authtype [{k}]",
    "ERROR: Invalid\tauthtype\t[{k}]",
    "ERROR: Invalid authtype {k}",
    "ERROR: Invalid authtype [[{k}]]",
    "ERROR: Invalid authtype [{k}]tail]",
    "ERROR: Auth method [{k}] requires a key",
    "info: Auth method [{k}] doesn't use a key",
    "ERROR: Auth line [1 sha1 {k}",
    "ERROR: Invalid auth line [auth {k}",
    "ERROR: LoadPlugin on {k} returned 5: No such plugin/interface/interface type",
    "ERROR: Lookup extended#2 returned FALSE for sha1\u3000{k}",
    "debug: Found authentication method [{k}]",
    "ERROR: Cannot compute message authentication [sha1/{k}/x]",
]


@dataclass
class ConfigCase:
    files: dict[str, bytes]
    oddity: tuple[str, str] | None = None  # (file kind, what it is instead of a file)
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        said = "; ".join(self.steps) or "unchanged"
        return said + (f"; {self.oddity[0]} is {self.oddity[1]}" if self.oddity else "")


@dataclass
class LogCase:
    log: bytes
    compression: str = "none"
    steps: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return "; ".join(self.steps) + f"; compression {self.compression}"


ODDITIES = [
    "a FIFO",
    "a folder",
    "a link to /proc/self/environ",
    "a link to /dev/zero",
    "a dangling link",
    "a link loop",
    "a link to authkeys",
    "missing",
]


@st.composite
def config_cases(draw: Draw) -> ConfigCase:
    files = dict(draw(st.sampled_from(CONFIGS)))
    case = ConfigCase(files)
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(FILE_KINDS))
        op = draw(st.sampled_from(CONFIG_OPS))
        files[kind] = op(draw, files[kind])[:MAX_FILE]
        case.steps.append(f"{op.__name__}({kind})")
    # A canary key: in authkeys, and sometimes in a line of another file too.
    line = draw(st.sampled_from(KEY_LINES)).encode("utf-8", "surrogateescape")
    lines = _lines(files["authkeys"])
    lines.insert(_at(draw, lines), line)
    files["authkeys"] = _join(lines)
    case.steps.append(f"canary {line!r} in authkeys")
    if draw(st.integers(0, 3)) == 0:
        kind = draw(st.sampled_from(["ha.cf", "haresources"]))
        keyed = draw(st.sampled_from(KEY_LINES[:8])).encode()
        files[kind] = files[kind] + b"\n" + keyed + b"\n"
        case.steps.append(f"canary {keyed!r} in {kind}")
    if draw(st.integers(0, 5)) == 0:
        case.oddity = (draw(st.sampled_from(FILE_KINDS)), draw(st.sampled_from(ODDITIES)))
    return case


@st.composite
def log_cases(draw: Draw) -> LogCase:
    log = draw(st.sampled_from(LOGS))
    case = LogCase(log)
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(LOG_OPS))
        case.log = op(draw, case.log)[:MAX_LOG]
        case.steps.append(op.__name__)
    message = draw(st.sampled_from(KEY_MESSAGES)).format(k=KEY)
    line = f"Nov 24 21:10:02 node1 heartbeat: [11]: {message}\n".encode()
    lines = case.log.split(b"\n")
    lines.insert(_at(draw, lines), line.rstrip(b"\n"))
    case.log = b"\n".join(lines)
    case.steps.append(f"canary message {message!r}")
    case.compression = draw(st.sampled_from(["none"] * 4 + ["gzip", "bz2", "xz", "gzip-damaged"]))
    return case


# --- running a case ----------------------------------------------------------------------


def write_node(case: ConfigCase, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, data in case.files.items():
        (folder / kind).write_bytes(data)
    os.chmod(folder / "authkeys", 0o600)
    if case.oddity is not None:
        kind, what = case.oddity
        path = folder / kind
        path.unlink()
        if what == "a FIFO":
            os.mkfifo(path)
        elif what == "a folder":
            path.mkdir()
        elif what == "a link to /proc/self/environ":
            path.symlink_to("/proc/self/environ")
        elif what == "a link to /dev/zero":
            path.symlink_to("/dev/zero")
        elif what == "a dangling link":
            path.symlink_to(folder / "nowhere")
        elif what == "a link loop":
            path.symlink_to(path)
        elif what == "a link to authkeys" and kind != "authkeys":
            path.symlink_to("authkeys")
    return folder


def write_log(case: LogCase, path: Path) -> Path:
    import bz2
    import gzip
    import lzma

    data = case.log
    if case.compression.startswith("gzip"):
        data = gzip.compress(data)
        if case.compression == "gzip-damaged" and len(data) > 40:
            data = data[:20] + bytes(b ^ 0xFF for b in data[20:40]) + data[40:]
    elif case.compression == "bz2":
        data = bz2.compress(data)
    elif case.compression == "xz":
        data = lzma.compress(data)
    path.write_bytes(data)
    return path


@dataclass
class Timed:
    seconds: float
    args: list[str]
    case: ConfigCase | LogCase


@dataclass
class Timings:
    """How long each run took: every time (floats), and the slowest runs with their cases (a
    bounded number: a case can hold megabytes)."""

    keep: int = 40
    seconds: list[float] = field(default_factory=list)
    slowest: list[tuple[float, int, Timed]] = field(default_factory=list)  # a min-heap

    def record(self, timed: Timed) -> None:
        import heapq

        self.seconds.append(timed.seconds)
        entry = (timed.seconds, len(self.seconds), timed)
        if len(self.slowest) < self.keep:
            heapq.heappush(self.slowest, entry)
        elif timed.seconds > self.slowest[0][0]:
            heapq.heapreplace(self.slowest, entry)

    def ranked(self) -> list[Timed]:
        return [timed for _, _, timed in sorted(self.slowest, key=lambda e: -e[0])]


def check_case(case: ConfigCase, folder: Path, timings: Timings | None = None) -> None:
    """Every format offline, JSON live (as node1): the property the campaign holds."""
    node = write_node(case, folder)
    commands = [
        ["check", "--offline", "--format", f, str(node)]
        for f in ("text", "json", "sarif", "github")
    ]
    commands.append(["check", "--node", "node1", "--format", "json", str(node)])
    _run(commands, case, timings)


def diagnose_case(case: LogCase, folder: Path, timings: Timings | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    log = write_log(case, folder / "ha-log")
    commands = [
        ["diagnose", "--jobs", "1", "--format", f, str(log)] for f in ("text", "json", "sarif")
    ]
    _run(commands, case, timings)


def _run(commands: list[list[str]], case: ConfigCase | LogCase, timings: Timings | None) -> None:
    runs = []
    for args in commands:
        started = time.perf_counter()
        with watchdog():
            runs.append(invoke(args))
        if timings is not None:
            timings.record(Timed(time.perf_counter() - started, args, case))
    judge(runs)

"""A large log is read by worker processes, piece by piece; what `diagnose` says must not depend
on it. Every log here is diagnosed once in one process and once cut into small pieces read by
two workers, and the two results must be the same to the last evidence line."""

from __future__ import annotations

import gc
import importlib.util
import itertools
from pathlib import Path

import pytest

from halint.logs.compact import records_of
from halint.logs.digest import IN_PROCESS, Parallel, _pieces, digest
from halint.logs.reader import parse_fields
from halint.logs.run import DiagnoseResult, run_diagnose
from tests.conftest import FIXTURES, REPO, shared_dir


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_diagnose", REPO / "bench" / "diagnose.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def busy_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 MB of the benchmark's log: floods, flapping links, takeovers, other daemons."""
    path = tmp_path_factory.mktemp("busy") / "ha-log"
    _bench_module().write_log(path, 2)
    return path


def summary(result: DiagnoseResult) -> tuple:
    return (
        [
            (
                d.rule,
                d.title(),
                d.count,
                d.first,
                d.last,
                sorted(d.nodes),
                [(e.path, e.line, e.time, e.node, e.text) for e in d.all_evidence()],
                d.stat,
                d.extra,
            )
            for d in result.diagnoses
        ],
        [
            (t.time, t.node, t.event, t.detail, t.said, t.path, t.line, t.text)
            for t in result.timeline
        ],
        result.events,
        result.dropped,
        result.holders,
    )


def _logs() -> list[Path]:
    logs = sorted(FIXTURES.glob("logs/*/node*.log"))
    shared = shared_dir()
    if shared is not None:
        logs += sorted((shared / "corpus" / "logs").glob("*.log"))
    return logs


@pytest.fixture
def no_paste(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read small logs as large ones are (a paste is read more thoroughly: see below)."""
    monkeypatch.setattr("halint.logs.digest.PASTE_SIZE", 0)


@pytest.mark.parametrize("log", _logs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_logs_read_in_pieces_give_the_same_diagnosis(log: Path, no_paste: None) -> None:
    alone = summary(run_diagnose([str(log)], [], parallel=IN_PROCESS))
    pieces = summary(run_diagnose([str(log)], [], parallel=Parallel(2, min_size=0, piece=700)))
    assert pieces == alone


@pytest.mark.parametrize("piece", [1000, 64 * 1024, 300 * 1024])
def test_a_busy_log_read_in_pieces_gives_the_same_diagnosis(busy_log: Path, piece: int) -> None:
    alone = summary(run_diagnose([str(busy_log)], [], parallel=IN_PROCESS))
    assert alone[2] > 1000  # the log really is busy: the comparison means something
    split = summary(run_diagnose([str(busy_log)], [], parallel=Parallel(2, 0, piece)))
    assert split == alone


@pytest.mark.parametrize("log", _logs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_real_log_read_as_a_paste_says_the_same(
    log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The quick filters (derived from the signatures' needles) miss nothing that reading
    every line of a real log finds."""
    pasted = summary(run_diagnose([str(log)], [], parallel=IN_PROCESS))
    monkeypatch.setattr("halint.logs.digest.PASTE_SIZE", 0)
    quick = summary(run_diagnose([str(log)], [], parallel=IN_PROCESS))
    # (a paste may count more lines as Heartbeat's: those of no known shape that name a needle)
    assert (quick[0], quick[1], quick[4]) == (pasted[0], pasted[1], pasted[4])


def test_both_nodes_logs_read_in_pieces_merge_the_same(busy_log: Path, no_paste: None) -> None:
    scenario = FIXTURES / "logs" / "split-brain"
    paths = [str(scenario / "node1.log"), str(scenario / "node2.log"), str(busy_log)]
    alone = summary(run_diagnose(paths, [], parallel=IN_PROCESS))
    split = summary(run_diagnose(paths, [], parallel=Parallel(2, 0, 4096)))
    assert split == alone


def test_pieces_are_cut_after_a_line_end(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    data = b"".join(b"line %d %s\n" % (n, b"x" * (n % 50)) for n in range(3000))
    log.write_bytes(data)
    pieces = list(_pieces(str(log), 1000))
    assert pieces[0][0] == 0 and pieces[-1][1] == len(data)
    assert all(end == start for (_, end), (start, _) in itertools.pairwise(pieces))
    assert all(data[end - 1 : end] == b"\n" for _, end in pieces)


def test_a_line_longer_than_a_piece_is_cut_anyway(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_bytes(
        b"x" * 300_000 + b"\nNov 24 21:00:23 n1 heartbeat: [1]: info: Link n2:eth0 up.\n"
    )
    pieces = list(_pieces(str(log), 1000))
    assert len(pieces) > 100  # no piece waits for a line end that is 300 kB away
    result = run_diagnose([str(log)], [], parallel=Parallel(2, 0, 1000))
    assert [(t.event, t.line) for t in result.timeline] == [("link-up", 2)]


def test_the_garbage_collector_is_back_on_after_a_diagnosis(busy_log: Path) -> None:
    assert gc.isenabled()
    run_diagnose([str(busy_log)], [], parallel=Parallel(2, 0, 64 * 1024))
    assert gc.isenabled()


def _count_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many workers each parallel read forks."""
    from halint.logs import digest

    pools: list[int] = []
    real = digest._start_workers

    def counting(path, size, count, piece, workers):  # type: ignore[no-untyped-def]
        pools.append(workers)
        return real(path, size, count, piece, workers)

    monkeypatch.setattr(digest, "_start_workers", counting)
    return pools


@pytest.fixture(scope="module")
def large_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log just large enough to be split (diagnose splits from 16 MB)."""
    path = tmp_path_factory.mktemp("large") / "ha-log"
    _bench_module().write_log(path, 17)
    return path


def _default_pools() -> list[int]:
    from halint.logs.digest import default_parallel

    auto = default_parallel()
    return [auto.workers] if auto is not None else []


@pytest.mark.parametrize(
    ("jobs", "pools"),
    [(["--jobs", "1"], []), (["-j", "3"], [3]), ([], _default_pools())],
)
def test_jobs_sets_how_many_processes_read_a_large_log(
    large_log: Path, monkeypatch: pytest.MonkeyPatch, jobs: list[str], pools: list[int]
) -> None:
    """On a node that is already starved (HL705), `--jobs 1` keeps diagnose to one process."""
    from click.testing import CliRunner

    from halint import cli

    started = _count_pools(monkeypatch)
    result = CliRunner().invoke(cli.cli, ["diagnose", "--exit-zero", *jobs, str(large_log)])
    assert result.exit_code == 0, result.output
    assert started == pools
    assert "Late heartbeats from node1" in result.output


def test_a_worker_that_fails_is_one_line_and_leaves_no_process(
    busy_log: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from halint.logs import digest as module
    from halint.logs.reader import LogError

    def broken(body: bytes, number: int = 0) -> tuple[int, list]:
        raise MemoryError("out of memory in a worker")

    monkeypatch.setattr(module, "digest_counted", broken)  # the forked workers inherit it
    with pytest.raises(LogError, match="out of memory in a worker"):
        run_diagnose([str(busy_log)], [], parallel=Parallel(2, 0, 64 * 1024))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # every worker was waited for


def test_a_reader_that_stops_early_leaves_no_process(busy_log: Path) -> None:
    import os

    from halint.logs.digest import merged

    stream = merged([str(busy_log)], Parallel(3, 0, 16 * 1024))
    next(stream)
    stream.close()  # the workers are blocked on full pipes: they must be ended, not left
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.fixture(scope="module")
def flapping_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 MB of the benchmark's flapping cluster: nearly every line one written before."""
    path = tmp_path_factory.mktemp("flapping") / "ha-log"
    _bench_module().write_flapping(path, 2)
    return path


@pytest.mark.parametrize("which", ["busy", "flapping"])
@pytest.mark.parametrize("piece", [700, 64 * 1024])
def test_a_log_sent_compact_or_whole_gives_the_same_diagnosis(
    busy_log: Path,
    flapping_log: Path,
    monkeypatch: pytest.MonkeyPatch,
    which: str,
    piece: int,
) -> None:
    """A worker sends a piece whose texts repeat as stamps and references to its texts, and
    one whose texts seldom repeat as whole lines (halint.logs.compact): what diagnose says
    must not depend on which."""
    log = str(busy_log if which == "busy" else flapping_log)
    monkeypatch.setattr("halint.logs.digest._compact_pays", lambda: False)
    whole = summary(run_diagnose([log], [], parallel=IN_PROCESS))
    assert whole[2] > 1000
    monkeypatch.setattr("halint.logs.digest._compact_pays", lambda: True)
    compact = summary(run_diagnose([log], [], parallel=Parallel(2, 0, piece)))
    assert compact == whole


def test_each_line_says_its_own_host_and_level_whatever_its_pid(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker remembers what the head of a line (host, program, level) says, apart from its
    process id, which a busy syslog's lines each have anew: every line must still be read as
    it would be alone."""
    monkeypatch.setattr("halint.logs.digest._HEADS", {})
    heads = [
        b"node1 heartbeat: [%d]: WARN: ",
        b"node[%d] heartbeat: [3021]: WARN: ",  # a bracket in the host is the host's own
        b"node2 ipfail[%d]: info: ",
        b"node2 ipfail[%d]: ERROR: ",
        b"node2 ipfail[x%d]: info: ",
        b"node1 heartbeat: [%d]: [%d]: info: ",
    ]
    lines = [
        b"Nov 24 21:%02d:%02d " % divmod(n, 60)
        + heads[n % len(heads)].replace(b"%d", b"%d" % (n % 7 + 1))
        + b"Late heartbeat: Node node2: interval %d ms" % (2000 + n)
        for n in range(600)
    ]
    body = b"\n".join(lines) + b"\n"
    read = [record[3:8] for record in records_of(digest(body))]
    alone = [parse_fields(line) for line in lines]
    assert read == [(f[2], f[3], f[4], f[5], f[6]) for f in alone if f is not None]
    assert {host for host, *_ in read} >= {"node1", "node2", "node[1]", "node[2]"}


def test_each_script_line_says_its_own_program_and_level_whatever_its_pid_and_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker remembers what the head of a resource script's line says too (its program
    and level), apart from its time stamp and process id: every line must still be read as it
    would be alone, a stamp that is no time included."""
    heads_seen: dict[bytes, tuple] = {}
    monkeypatch.setattr("halint.logs.digest._HEADS", heads_seen)
    monkeypatch.setattr("halint.logs.digest._compact_pays", lambda: False)
    heads = [
        b"%s  ResourceManager(default)[%d]:    info: ",
        b"%s  ResourceManager(default)[%d]:    ERROR: ",
        b"%s  IPaddr2(IPaddr2_1)[%d]:  WARN: ",
        b"%s  ResourceManager(default)[x%d]:    info: ",
        b"%s ResourceManager[%d]: info: ",
    ]
    lines = []
    for n in range(600):
        stamp = b"2026/11/24_21:%02d:%02d" % divmod(n % 3600, 60)
        if n % 97 == 0:
            stamp = b"2026/11/24_21:0x:%02d" % (n % 60)  # not a time
        head = heads[n % len(heads)] % (stamp, 1000 + n)
        lines.append(head + b"Acquiring resource group: node1 IPaddr2::10.0.0.%d" % (n % 250))
    body = b"\n".join(lines) + b"\n"
    read = [record[1:8] for record in records_of(digest(body))]
    alone = [parse_fields(line) for line in lines]
    assert read == [f for f in alone if f is not None]
    assert {f[3] for f in read} >= {"ResourceManager(default)", "IPaddr2(IPaddr2_1)"}
    assert {f[4] for f in read} >= {"info", "ERROR", "WARN"}
    assert len(heads_seen) >= 3  # (the heads were remembered, and so tried)


@pytest.mark.parametrize("which", ["busy", "flapping", "odd", "unended", "paste"])
def test_a_piece_says_how_many_line_ends_it_holds(
    busy_log: Path, flapping_log: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """A worker counts a piece's lines while it reads it (the reader numbers the lines of the
    pieces after it from that count): the count must be the piece's own, whichever way the
    piece was read."""
    from halint.logs.digest import digest_counted

    if which in ("busy", "flapping"):
        body = (busy_log if which == "busy" else flapping_log).read_bytes()[: 300 * 1024]
        body = body[: body.rfind(b"\n") + 1]
    else:
        body = _odd_lines_among_repeated_ones()
    if which == "unended":
        body += b"Nov 24 21:00:33 node1 heartbeat: [3021]: WARN: node node2: is dead"
    for compact in (True, False):
        monkeypatch.setattr("halint.logs.digest._compact_pays", lambda c=compact: c)
        assert digest_counted(body, 7, thorough=which == "paste")[0] == body.count(b"\n")


def _odd_lines_among_repeated_ones() -> bytes:
    status = b"Nov 24 21:00:%02d node1 heartbeat: [3021]: info: Link node2:eth0 up.\n"
    lines = [status % (n % 60) for n in range(3000)]
    lines[200] = b"Nov 24 21:00:30 node1 heartbeat: [3021]: info:\nLink node2:eth0 dead.\n"
    lines[900] = b"Nov 24 21:00:31 node1 ResourceManager[77]: 2026/11/24_21:00:31\n"
    lines[901] = b"ERROR: Return code 1 from /etc/init.d/nginx\n"
    lines[1500] = b"Nov 24 21:00:32 node1 heartbeat: [3021]: WARN:   \r\n"
    lines[1501] = b"Late heartbeat: Node node2: interval 5234 ms\n"
    return b"".join(lines)


@pytest.mark.parametrize("which", ["busy", "flapping", "odd"])
def test_a_piece_read_line_by_line_says_what_the_search_finds(
    busy_log: Path,
    flapping_log: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    which: str,
) -> None:
    """A worker reads a piece whose texts repeat line by line, looking each repeated text up
    instead of searching it, and goes back to the search over the whole piece where a
    message may go on on the next line: what diagnose says must not depend on it."""
    if which == "odd":
        log = tmp_path / "ha-log"
        log.write_bytes(_odd_lines_among_repeated_ones())
    else:
        log = busy_log if which == "busy" else flapping_log
    monkeypatch.setattr("halint.logs.digest._compact_pays", lambda: True)
    line_by_line = summary(run_diagnose([str(log)], [], parallel=Parallel(2, 0, 64 * 1024)))
    assert line_by_line[2] > 1000
    monkeypatch.setattr("halint.logs.digest._digest_repeating", lambda *_: None)
    searched = summary(run_diagnose([str(log)], [], parallel=Parallel(2, 0, 64 * 1024)))
    assert line_by_line == searched


@pytest.mark.parametrize("first_word", [b"Link", b"info:", b"WARNING"])
def test_the_quick_search_finds_a_message_whose_first_word_starts_like_a_level(
    first_word: bytes,
) -> None:
    """The search commits to a level word once it has read one, which is sound only while no
    first word of the catalogue starts like a level word: with such a word (a new signature's,
    one day), a line whose message starts with it must still be found."""
    import re

    from halint.logs.reader import Filters

    quick = Filters(frozenset({first_word}), frozenset(), frozenset(), re.compile(b"x"))
    line = b"Nov 24 21:00:00 node1 heartbeat: [3021]: " + first_word + b" node2 went away\n"
    match = quick.wanted.search(line)
    assert match is not None
    assert line[match.end() :].startswith(first_word)
    assert (
        quick.wanted.search(b"Nov 24 21:00:00 node1 heartbeat: [3021]: Other went away\n") is None
    )

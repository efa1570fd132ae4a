"""`halint diagnose` on logs that real Heartbeat 3.0.6 daemons wrote (tests/fixtures/logs,
made by tests/oracle/stage_logs.py on a two-node cluster in namespaces), on the published logs
of the corpus, and on every shape and packaging of log it must read."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from halint.logs.digest import IN_PROCESS
from tests.conftest import FIXTURES, shared_dir
from tests.test_cli import run

LOGS = FIXTURES / "logs"


def diagnose(*args: str) -> dict:
    code, out, err = run("diagnose", "--format", "json", "--exit-zero", *args)
    assert code == 0, err
    return json.loads(out)


def by_rule(document: dict) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = {}
    for d in document["diagnoses"]:
        result.setdefault(d["rule"], []).append(d)
    return result


def events(document: dict, *names: str) -> list[tuple[str, str]]:
    return [(t["node"], t["event"]) for t in document["timeline"] if t["event"] in names]


# --- what each staged failure must be diagnosed as --------------------------------------


def check_tutorial_failover(doc: dict) -> None:
    rules = by_rule(doc)
    assert not [d for d in doc["diagnoses"] if d["severity"] == "error"], rules.keys()
    assert rules["HL711"][0]["count"] == 2  # to node2, and back (auto_failback on)
    story = events(doc, "stopping", "takeover", "acquire", "start", "stopped")
    assert story.index(("node1", "stopping")) < story.index(("node2", "takeover"))
    acquires = [n for n, e in story if e == "acquire"]
    assert acquires == ["node1", "node2", "node1"]


def check_dead_peer(doc: dict) -> None:
    rules = by_rule(doc)
    (dead,) = rules["HL702"]
    assert "node1 was declared dead" in dead["title"]
    assert dead["nodes"] == ["node2"]
    assert any("acquire" in note or "takeover" in note for note in dead["details"])
    assert "no other link to node1 was up" in rules["HL707"][0]["details"]
    assert [n for n, e in events(doc, "acquire")][-1] == "node2"


def check_split_brain(doc: dict) -> None:
    rules = by_rule(doc)
    assert "HL703" in rules
    assert any("node1" in d["title"] for d in rules["HL702"])
    texts = " ".join(e["text"] for d in rules["HL703"] for e in d["evidence"])
    assert "Both machines own" in texts or "returning after partition" in texts


def check_late_heartbeat(doc: dict) -> None:
    rules = by_rule(doc)
    late = next(d for d in rules["HL704"] if "node1" in d["title"])
    worst = int(late["title"].split("worst ")[1].split(" ")[0])
    assert 3000 < worst < 6000  # past warntime 3 s, short of deadtime 6 s
    assert "HL702" not in rules  # late, never dead
    assert any("node1" in d["nodes"] for d in rules["HL705"])


def check_different_authkeys(doc: dict) -> None:
    rules = by_rule(doc)
    assert set(rules["HL708"][0]["nodes"]) == {"node1", "node2"}
    assert rules["HL708"][0]["count"] > 10
    # neither was ever heard by the other: not a crash story, "never heard"
    assert "HL702" not in rules
    assert {d["title"].split()[0] for d in rules["HL712"]} == {"node1", "node2"}
    assert any(
        "held by node1 and node2" in d["title"] or "held by node2 and node1" in d["title"]
        for d in rules["HL703"]
    )
    assert "HL501" in rules["HL708"][0]["related_rules"]


def check_resource_fails(doc: dict) -> None:
    rules = by_rule(doc)
    (failure,) = rules["HL706"]
    assert failure["title"] == "Resource web.sh failed on node1"
    assert any("Return code 1 from" in e["text"] for e in failure["evidence"])


def refused(reason_rule: str, node: str) -> Callable[[dict], None]:
    def check(doc: dict) -> None:
        rules = by_rule(doc)
        (refusal,) = rules["HL701"]
        assert reason_rule in refusal["related_rules"]
        assert refusal["nodes"] == [node]
        # the other node, started alone, never heard node1: not told as a crash
        assert "HL702" not in rules
        (never,) = rules["HL712"]
        assert never["title"].startswith("node1 was never heard")
        assert any("node1: is dead" in e["text"] for e in never["evidence"])

    return check


def check_planned_stop(doc: dict) -> None:
    rules = by_rule(doc)
    assert not {"HL702", "HL707", "HL712"} & rules.keys(), rules.keys()
    assert ("node2", "planned-stop") in events(doc, "planned-stop")
    assert [n for n, e in events(doc, "acquire")][-1] == "node2"


def check_first_start_alone(doc: dict) -> None:
    rules = by_rule(doc)
    assert "HL702" not in rules
    (never,) = rules["HL712"]
    assert never["nodes"] == ["node2"] and never["title"].startswith("node1 was never heard")


SCENARIOS: dict[str, Callable[[dict], None]] = {
    "tutorial-failover": check_tutorial_failover,
    "dead-peer": check_dead_peer,
    "split-brain": check_split_brain,
    "late-heartbeat": check_late_heartbeat,
    "different-authkeys": check_different_authkeys,
    "resource-fails": check_resource_fails,
    "startup-authkeys-644": refused("HL601", "node1"),
    "startup-respawn-lib64": refused("HL603", "node1"),
    "startup-node-name": refused("HL602", "web1"),
    "planned-stop": check_planned_stop,
    "first-start-alone": check_first_start_alone,
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_staged_failures_are_diagnosed(scenario: str) -> None:
    folder = LOGS / scenario
    SCENARIOS[scenario](diagnose(str(folder / "node1.log"), str(folder / "node2.log")))


def test_every_scenario_has_real_logs_of_both_nodes() -> None:
    for scenario in SCENARIOS:
        for node in ("node2",) if scenario == "first-start-alone" else ("node1", "node2"):
            text = (LOGS / scenario / f"{node}.log").read_text()
            assert "heartbeat: [" in text


def test_config_findings_are_attached_with_their_fix(tmp_path: Path) -> None:
    node = tmp_path / "ha.d"
    node.mkdir()
    (node / "ha.cf").write_text(
        "logfile /var/log/ha-log\nkeepalive 1\nwarntime 3\ndeadtime 6\n"
        "initdead 12\nucast eth0 192.168.137.105\nauto_failback on\n"
        "node node1\nnode node2\n"
    )
    (node / "authkeys").write_text("auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n")
    os.chmod(node / "authkeys", 0o644)
    (node / "haresources").write_text("node1 IPaddr2::192.168.137.200/24/eth0\n")
    log = LOGS / "startup-authkeys-644" / "node1.log"
    doc = diagnose(str(log), "--ha-d", str(node))
    (refusal,) = by_rule(doc)["HL701"]
    (finding,) = [f for f in refusal["related"] if f["rule"] == "HL601"]
    assert finding["fix"] == f"chmod 600 {node / 'authkeys'}"
    _, text, _ = run("diagnose", str(log), "--ha-d", str(node))
    assert f"config: {node / 'authkeys'}:1:1: HL601" in text


def test_text_report_puts_errors_first_then_the_timeline() -> None:
    folder = LOGS / "different-authkeys"
    code, out, _ = run("diagnose", str(folder / "node1.log"), str(folder / "node2.log"))
    assert code == 1
    severities = [
        line.split()[0]
        for line in out.splitlines()
        if line.split()[:1] in (["error"], ["warning"], ["info"])
    ]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert out.index("Diagnoses") < out.index("Timeline") < out.index("5 diagnoses (")
    assert "fix:" in out and "cause:" in out
    assert "c2f0a9e47b1d83a65e0c" not in out and "77aa0e31f9c2d4b8e605" not in out


def test_json_shape() -> None:
    doc = diagnose(str(LOGS / "dead-peer" / "node2.log"))
    assert doc["version"] == 1 and doc["tool"]["name"] == "halint"
    diagnosis = doc["diagnoses"][0]
    assert {
        "rule",
        "name",
        "severity",
        "title",
        "cause",
        "fix",
        "evidence",
        "count",
        "first",
        "last",
        "related",
    } <= set(diagnosis)
    assert set(diagnosis["evidence"][0]) == {"path", "line", "time", "node", "text"}
    assert set(doc["timeline"][0]) == {"time", "node", "event", "detail", "path", "line"}


def test_sarif_for_diagnose_has_its_own_automation_id() -> None:
    import jsonschema

    shared = shared_dir()
    if shared is None:
        pytest.skip("no SARIF schema beside this checkout")
    folder = LOGS / "resource-fails"
    _code, out, _ = run("diagnose", "--format", "sarif", str(folder / "node1.log"))
    document = json.loads(out)
    schema = json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    assert document["runs"][0]["automationDetails"]["id"] == "halint/diagnose/"
    assert document["runs"][0]["results"][0]["ruleId"] == "HL706"


# --- the published logs of the corpus ------------------------------------------------------

EXPECTED_CORPUS = {
    "zh-notes-startup-errors-ipfail-keyfile-nodename.log": {"HL701"},
    "ubuntuforums-mysql-resource-stop-not-lsb.log": {"HL706", "HL724"},
    "ubuntuforums-prodlb02-ipfail-we-are-dead.log": {"HL702", "HL709"},
    "ubuntuforums-uksl-proxy03-takeover-then-shutdown.log": {"HL705"},
    "linuxzen-slave-takeover-after-master-shutdown.log": {"HL711"},
    "lkml-2001-mail2-tlb-ipi-stall-takeover.log": {"HL702"},
    "zongyuwang-mysqld-start-failure-giveup.log": {"HL706"},
    "zongyuwang-centos7-fuser-drbddisk-errors.log": {"HL706"},
    "smartmz-tfs-ns001-resource-active-on-2-nodes.log": {"HL703"},
    "oldboy-51cto-drbd-mysql-takeover-mangled-markup.log": {"HL702"},
    "linuxzen-slave-join-standby-ipfail-giveup.log": {"HL705"},
}


def corpus_logs() -> list[Path]:
    shared = shared_dir()
    return sorted((shared / "corpus" / "logs").glob("*.log")) if shared else []


@pytest.mark.skipif(not corpus_logs(), reason="the shared corpus is not beside this checkout")
@pytest.mark.parametrize("log", corpus_logs(), ids=lambda p: p.stem)
def test_corpus_logs_are_diagnosed_without_a_crash(log: Path) -> None:
    doc = diagnose(str(log))
    rules = {d["rule"] for d in doc["diagnoses"]}
    assert EXPECTED_CORPUS.get(log.name, set()) <= rules


def test_the_three_startup_errors_of_the_tutorial_note() -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("no corpus")
    doc = diagnose(
        str(shared / "corpus" / "logs" / "zh-notes-startup-errors-ipfail-keyfile-nodename.log")
    )
    reasons = [d["related_rules"][0] for d in by_rule(doc)["HL701"]]
    assert reasons == ["HL603", "HL601", "HL602"]


# --- every shape and packaging ---------------------------------------------------------

SAMPLE = (LOGS / "dead-peer" / "node2.log").read_bytes() if (LOGS / "dead-peer").exists() else b""


@pytest.mark.parametrize("pack", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_logs(tmp_path: Path, pack: Callable[[bytes], bytes]) -> None:
    plain = tmp_path / "ha-log"
    plain.write_bytes(SAMPLE)
    packed = tmp_path / "ha-log.1.z"
    packed.write_bytes(pack(SAMPLE))

    def gist(doc: dict) -> list[tuple[str, str, int]]:
        return [(d["rule"], d["title"], d["count"]) for d in doc["diagnoses"]]

    assert gist(diagnose(str(packed))) == gist(diagnose(str(plain)))
    assert gist(diagnose(str(plain)))


def test_stdin(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "halint", "diagnose", "--format", "json", "--exit-zero", "-"],
        input=SAMPLE,
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert "HL702" in {d["rule"] for d in doc["diagnoses"]}
    # named as check names standard input
    assert {e["path"] for d in doc["diagnoses"] for e in d["evidence"]} == {"<stdin>"}


def test_rotated_and_both_nodes_logs_merge_in_time_order(tmp_path: Path) -> None:
    lines = SAMPLE.splitlines(keepends=True)
    half = len(lines) // 2
    (tmp_path / "ha-log.1").write_bytes(b"".join(lines[:half]))
    (tmp_path / "ha-log").write_bytes(b"".join(lines[half:]))
    doc = diagnose(str(tmp_path / "ha-log"), str(tmp_path / "ha-log.1"))
    times = [t["time"] for t in doc["timeline"]]
    assert times == sorted(times)


def test_year_is_inferred_and_rolls_over(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_text(
        "2014/12/31_23:59:58  ResourceManager(default)[11]:    info: Acquiring resource group: "
        "node1 IPaddr2::10.0.0.1/24/eth0\n"
        "Dec 31 23:59:59 node1 heartbeat: [10]: WARN: node node2: is dead\n"
        "Jan 01 00:00:01 node1 heartbeat: [10]: info: Link node2:eth0 dead.\n"
    )
    doc = diagnose(str(log))
    assert [t["time"][:10] for t in doc["timeline"]] == ["2014-12-31", "2014-12-31", "2015-01-01"]


def test_a_dated_line_resets_the_year_of_the_syslog_lines_after_it(tmp_path: Path) -> None:
    """Two Decembers a year apart, each announced by a resource script's dated line."""
    log = tmp_path / "ha-log"
    log.write_text(
        "2014/12/31_23:59:57  ResourceManager(default)[11]:    info: Acquiring resource group: "
        "node1 IPaddr2::10.0.0.1/24/eth0\n"
        "Dec 31 23:59:58 node1 heartbeat: [10]: WARN: node node2: is dead\n"
        "2015/12/31_10:00:00  ResourceManager(default)[12]:    info: Releasing resource group: "
        "node1 IPaddr2::10.0.0.1/24/eth0\n"
        "Dec 31 10:00:01 node1 heartbeat: [10]: WARN: node node3: is dead\n"
    )
    doc = diagnose(str(log))
    assert [t["time"][:10] for t in doc["timeline"]] == [
        "2014-12-31",
        "2014-12-31",
        "2015-12-31",
        "2015-12-31",
    ]


def test_syslog_lines_before_the_first_dated_line_take_its_year(tmp_path: Path) -> None:
    """A `tail` of an ha-log that starts with a daemon line (the year left out) and goes on with
    script lines that carry theirs (Heartbeat 3.0.x's older `harc(default)[pid]:<TAB>stamp`
    form): the first line is of the scripts' year, not of the file's modification time."""
    log = tmp_path / "ha-log"
    log.write_text(
        "Mar 01 23:20:09 master heartbeat: [3036]: info: Resources being acquired from backup.\n"
        "harc(default)[3047]:\t2018/03/01_23:20:09 info: Running /etc/ha.d//rc.d/status status\n"
        "ResourceManager(default)[3243]:\t2018/03/01_23:20:10 info: Acquiring resource group: "
        "master IPaddr::172.30.105.201/24/eth0 mysqld\n"
    )
    doc = diagnose(str(log))
    assert [t["time"] for t in doc["timeline"]] == ["2018-03-01 23:20:09", "2018-03-01 23:20:10"]


def test_a_december_line_before_a_january_dated_line_is_of_the_year_before(
    tmp_path: Path,
) -> None:
    log = tmp_path / "ha-log"
    log.write_text(
        "Dec 31 23:59:59 node1 heartbeat: [10]: WARN: node node2: is dead\n"
        "2015/01/01_00:00:01  ResourceManager(default)[11]:    info: Acquiring resource group: "
        "node1 IPaddr2::10.0.0.1/24/eth0\n"
    )
    doc = diagnose(str(log))
    assert [t["time"][:10] for t in doc["timeline"]] == ["2014-12-31", "2015-01-01"]


def test_a_year_in_a_message_is_not_a_dated_line(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_text(
        "Mar 01 23:20:09 master heartbeat: [3036]: WARN: node backup: is dead\n"
        "Mar 01 23:20:10 master heartbeat: [3036]: info: see /var/log/2011/03/01_23:20:09 x\n"
    )
    os.utime(log, (1_600_000_000, 1_600_000_000))  # 2020
    doc = diagnose(str(log))
    assert [t["time"][:4] for t in doc["timeline"]] == ["2020"]


def test_a_log_of_last_year_read_in_january_is_not_of_the_future(tmp_path: Path) -> None:
    """No dated line: the year is the file's date's, except for months after it (a log of
    November and December, written to until 2 January): syslog is never of the future."""
    log = tmp_path / "ha-log"
    log.write_text(
        "Nov 30 23:59:59 node1 heartbeat: [10]: WARN: node node2: is dead\n"
        "Jan 01 00:00:01 node1 heartbeat: [10]: WARN: node node3: is dead\n"
    )
    january = datetime(2027, 1, 2, 10, 0).timestamp()
    os.utime(log, (january, january))
    doc = diagnose(str(log))
    assert [t["time"][:10] for t in doc["timeline"]] == ["2026-11-30", "2027-01-01"]


def _dead(month_day: str, node: str) -> str:
    return f"{month_day} 10:00:00 node1 heartbeat: [10]: WARN: node {node}: is dead\n"


@pytest.mark.parametrize(
    ("lines", "file_date", "years"),
    [
        # a year of log, December to December: its last line is of the file's year
        (
            [("Dec 01", "n2"), ("Jan 05", "n3"), ("Jun 10", "n4"), ("Dec 01", "n5")],
            datetime(2026, 12, 1, 12, 0),
            ["2025-12-01", "2026-01-05", "2026-06-10", "2026-12-01"],
        ),
        # August, half a year of quiet, then February: New Year passed in between
        ([("Aug 10", "n2"), ("Feb 20", "n3")], datetime(2026, 3, 1), ["2025-08-10", "2026-02-20"]),
        # February, then September: the same year, a gap forward
        ([("Feb 10", "n2"), ("Sep 20", "n3")], datetime(2026, 9, 30), ["2026-02-10", "2026-09-20"]),
        # a last line of a later day than the file's is of the year before
        ([("Dec 31", "n2")], datetime(2026, 12, 4), ["2025-12-31"]),
        # March, then February: eleven months later (not a moment out of order)
        (
            [("Mar 10", "n2"), ("Feb 01", "n3")],
            datetime(2026, 2, 1, 12),
            ["2025-03-10", "2026-02-01"],
        ),
    ],
    ids=["a-whole-year", "quiet-half-year", "gap-forward", "later-day", "eleven-months"],
)
def test_the_years_of_an_undated_log_count_back_from_its_date(
    tmp_path: Path, lines: list[tuple[str, str]], file_date: datetime, years: list[str]
) -> None:
    """No line says its year: the last line is of the file's date (never of the future), and
    each New Year between the lines is counted back from there."""
    log = tmp_path / "ha-log"
    log.write_text("".join(_dead(day, node) for day, node in lines))
    os.utime(log, (file_date.timestamp(), file_date.timestamp()))
    doc = diagnose(str(log))
    assert [t["time"][:10] for t in doc["timeline"]] == years


def test_new_years_between_lines_no_rule_reads_still_count(tmp_path: Path) -> None:
    """Other lines (here a daemon's filler) cross New Year between two of Heartbeat's of the
    same month: the year comes from every line of the file, not from those read."""
    log = tmp_path / "ha-log"
    log.write_text(
        _dead("Mar 10", "n2")
        + "Dec 11 00:00:00 node1 kernel: [1]: filler\n"
        + "Jan 11 00:00:00 node1 kernel: [1]: filler\n"
        + _dead("Mar 05", "n3")
    )
    when = datetime(2026, 3, 5, 12).timestamp()
    os.utime(log, (when, when))
    assert [t["time"][:10] for t in diagnose(str(log))["timeline"]] == ["2025-03-10", "2026-03-05"]


@pytest.mark.parametrize("packed", [False, True])
def test_standard_input_and_a_compressed_log_are_never_of_the_future(
    tmp_path: Path, packed: bool
) -> None:
    """Read forward from the date (today's, or the compressed file's): a first line of a
    later day than that is of the year before."""
    import gzip
    from datetime import timedelta

    today = datetime.now()
    later = today.replace(year=2000) + timedelta(days=20)
    text = _dead(later.strftime("%b %d"), "n2")
    if packed:
        log = tmp_path / "ha-log.1.gz"
        log.write_bytes(gzip.compress(text.encode()))
        doc = diagnose(str(log))
    else:
        result = subprocess.run(
            [sys.executable, "-m", "halint", "diagnose", "--format", "json", "-"],
            input=text.encode(),
            capture_output=True,
            check=False,
        )
        doc = json.loads(result.stdout)
    (entry,) = doc["timeline"]
    assert entry["time"] <= today.strftime("%Y-%m-%d %H:%M:%S")


def test_the_years_of_a_large_undated_log_are_counted_from_samples(tmp_path: Path) -> None:
    """A log too large to read twice is sampled (512 places) for its New Years."""
    filler = "Jan 01 00:00:00 node1 kernel: [1]: nothing of Heartbeat's " + "x" * 60 + "\n"
    parts = []
    for month in ("Nov", "Dec", "Jan", "Feb", "Mar"):
        parts.append(_dead(f"{month} 10", "n" + month))
        parts.append(filler.replace("Jan 01", f"{month} 11") * 20000)
    log = tmp_path / "ha-log"
    log.write_text("".join(parts) + _dead("Mar 20", "nLast"))
    when = datetime(2026, 3, 20, 12, 0).timestamp()
    os.utime(log, (when, when))
    assert log.stat().st_size > 8 << 20
    doc = diagnose(str(log))
    days = [t["time"][:10] for t in doc["timeline"]]
    assert days == [
        "2025-11-10",
        "2025-12-10",
        "2026-01-10",
        "2026-02-10",
        "2026-03-10",
        "2026-03-20",
    ]


def test_a_crlf_log_reads_as_its_lf_copy(tmp_path: Path) -> None:
    """A log copied through Windows: the carriage returns are not part of any message."""
    lines = [
        "Nov 24 21:00:23 node1 heartbeat: [10]: info: Link node2:eth0 up.",
        "Nov 24 21:00:24 node1 heartbeat: [10]: WARN: Late heartbeat: Node node2: interval "
        "12000 ms",
        "Nov 24 21:00:25 node1 heartbeat: [10]: WARN: node node2: is dead",
        "Nov 24 21:00:26 node1 heartbeat: [10]: info: Link node2:eth0 dead.",
        "Nov 24 21:00:27 node1 heartbeat: [10]: info: Resources being acquired from node2.",
        "Nov 24 21:00:28 node1 ResourceManager[20]: info: Acquiring resource group: node2 "
        "IPaddr2::10.0.0.1/24/eth0 nginx",
    ]
    (tmp_path / "lf").write_text("\n".join(lines) + "\n")
    (tmp_path / "crlf").write_bytes(("\r\n".join(lines) + "\r\n").encode())
    lf, crlf = diagnose(str(tmp_path / "lf")), diagnose(str(tmp_path / "crlf"))
    for document in (lf, crlf):
        for entry in document["timeline"]:
            entry.pop("path")
        for diagnosis in document["diagnoses"]:
            for item in diagnosis["evidence"]:
                item.pop("path")
    assert crlf["timeline"] == lf["timeline"]
    assert crlf["diagnoses"] == lf["diagnoses"]
    assert "\\r" not in json.dumps(crlf)
    assert {"takeover", "acquire"} <= {entry["event"] for entry in crlf["timeline"]}


def test_every_line_shape(tmp_path: Path) -> None:
    log = tmp_path / "mixed.log"
    log.write_bytes(
        b"Nov 24 21:00:23 node1 heartbeat: [10864]: WARN: node node2: is dead\r\n"
        b"heartbeat[9]: 2015/03/05_10:22:31 WARN: node node3: is dead\n"
        b"2026/11/24_21:15:41  ResourceManager(default)[194]:    ERROR: Return code 1 from "
        b"/etc/ha.d//resource.d/IPaddr\n"
        b"ResourceManager[3042]:\t2010/05/13_13:35:12 ERROR: Cannot locate resource script httpd\n"
        b"Nov 11 11:09:52 master1 heartbeat[38569]: [38569]: WARN: node node4: is dead\n"
        b"May  9 12:10:40 gw2 ResourceManager[26469]: ERROR: Return code 7 from /etc/init.d/mysql\n"
        b"2026-11-24T21:00:23.123456+00:00 node1 heartbeat: [10864]: WARN: node node5: is dead\n"
        b"ERROR: Configuration error, heartbeat not started.\n"
        b"\x00\xff\xfe binary junk from a packet dump \x81\n"
        b"a line from another program\n"
    )
    doc = diagnose(str(log))
    rules = by_rule(doc)
    assert {d["title"].split()[0] for d in rules["HL702"]} == {"node2", "node3", "node4", "node5"}
    assert {d["title"].split()[1] for d in rules["HL706"]} == {"IPaddr", "httpd", "mysql"}
    assert "HL701" in rules


@pytest.mark.parametrize("make", ["missing", "folder"])
def test_unreadable_logs_are_a_one_line_error(tmp_path: Path, make: str) -> None:
    target = tmp_path / "ha-log"
    if make == "folder":
        target.mkdir()
    code, out, err = run("diagnose", str(target))
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("halint: error:")


def test_a_truncated_gzip_is_a_one_line_error(tmp_path: Path) -> None:
    broken = tmp_path / "ha-log.gz"
    broken.write_bytes(gzip.compress(SAMPLE)[:200])
    code, _, err = run("diagnose", str(broken))
    assert code == 2 and "damaged or truncated" in err


def test_key_material_heartbeat_printed_is_never_shown(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_text(
        "Nov 24 21:10:02 node1 heartbeat: [11]: ERROR: Auth line [1 sha1 s3cr3tKeyValue\n"
        "] is invalid.\n"
        "Nov 24 21:10:02 node1 heartbeat: [11]: ERROR: Invalid auth line [auth s3cr3tKeyValue\n"
        "Nov 24 21:10:02 node1 heartbeat: [11]: ERROR: Cannot compute message authentication "
        "[sha1/s3cr3tKeyValue/t=status]\n"
        "Nov 24 21:10:02 node1 heartbeat: [11]: ERROR: Configuration error, heartbeat not "
        "started.\n"
    )
    for output in ("text", "json", "sarif"):
        code, out, err = run("diagnose", "--format", output, str(log))
        assert "s3cr3tKeyValue" not in out + err
        assert code == 1


@pytest.mark.parametrize(
    ("scenario", "holders"),
    [
        ("dead-peer", ["node2"]),
        ("different-authkeys", ["node1", "node2"]),
        ("tutorial-failover", ["node1"]),
        ("split-brain", ["node1"]),  # after the partition node2 restarts and lets go
    ],
)
def test_who_holds_the_resources_at_the_end(scenario: str, holders: list[str]) -> None:
    folder = LOGS / scenario
    doc = diagnose(str(folder / "node1.log"), str(folder / "node2.log"))
    assert doc["resources"] == {"192.168.137.200/24/eth0": holders}


def test_the_timeline_of_one_node() -> None:
    folder = LOGS / "tutorial-failover"
    doc = diagnose(str(folder / "node1.log"), str(folder / "node2.log"), "--timeline-node", "NODE2")
    assert {t["node"] for t in doc["timeline"]} == {"node2"}
    assert "HL711" in by_rule(doc)  # the diagnoses stay cluster-wide
    # a name that is no node of the timeline (a typo) is said, not an empty timeline
    logs = [str(folder / "node1.log"), str(folder / "node2.log")]
    code, out, err = run("diagnose", *logs, "--timeline-node", "node3")
    assert (code, out) == (2, "")
    assert err == (
        "halint: error: --timeline-node node3: the logs' timeline has no such node "
        "(it has node1, node2)\n"
    )


def test_a_fifo_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "ha-log"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "halint", "diagnose", str(fifo)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    assert "No Heartbeat lines found" in result.stdout


def test_process_substitution_reads_a_compressed_rotation(tmp_path: Path) -> None:
    (tmp_path / "ha-log.1.gz").write_bytes(gzip.compress(SAMPLE))
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"{sys.executable} -m halint diagnose --format json --exit-zero "
            f"<(zcat {tmp_path / 'ha-log.1.gz'})",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "HL702" in {d["rule"] for d in json.loads(result.stdout)["diagnoses"]}


def test_progress_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from halint.logs import run as run_module

    log = tmp_path / "ha-log"
    log.write_text(
        "".join(
            f"Nov 24 21:{i // 60 % 60:02d}:{i % 60:02d} node1 heartbeat: [10]: WARN: Late "
            f"heartbeat: Node node2: interval {3000 + i} ms\n"
            for i in range(30000)
        )
    )
    clock = iter(range(0, 10_000, 2))
    monkeypatch.setattr(run_module.time, "monotonic", lambda: next(clock))
    result = run_module.run_diagnose([str(log)], [], progress=True, parallel=IN_PROCESS)
    assert result.diagnoses[0].count == 30000
    err = capsys.readouterr().err
    shown = [int(n) for n in re.findall(r"\rhalint: (\d+) Heartbeat lines", err)]
    assert len(shown) >= 2 and shown == sorted(shown) and shown[-1] <= 30000  # it moves on
    assert err.endswith("\r\x1b[K")  # the line is wiped before the report


def test_no_progress_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "halint",
            "diagnose",
            "--exit-zero",
            str(LOGS / "dead-peer" / "node2.log"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stderr == ""


def test_binary_data_without_line_ends_keeps_memory_flat(tmp_path: Path) -> None:
    """Binary data after a log's first MiB of text (the start alone is judged: see the next
    test) is read through, a chunk at a time."""
    blob = tmp_path / "core"
    text = b"Nov 24 21:00:23 n1 sshd[1]: Accepted publickey for root\n" * 20_000  # 1.1 MB
    blob.write_bytes(text + os.urandom(1024).replace(b"\n", b" ") * 20_000)  # 20 MB, no newline
    # VmHWM, the peak of this process's own memory: ru_maxrss would also count the pytest
    # process it was forked from, before its exec (Linux keeps the larger of the two)
    script = (
        "import re; from halint.logs.run import run_diagnose; "
        f"r = run_diagnose([{str(blob)!r}], []); "
        "status = open('/proc/self/status').read(); "
        "print(r.events, re.search(r'VmHWM:\\s+(\\d+)', status).group(1))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out[0] == "0"
    assert int(out[1]) < 120 * 1024  # KiB: a few chunks, not the 20 MB file twice over


def test_a_binary_file_is_refused_at_once(tmp_path: Path) -> None:
    """A core dump or a disk image given as a log (or /dev/urandom on standard input, which
    never ends) is told in one line from its first MiB, not read to its end."""
    blob = tmp_path / "core"
    blob.write_bytes(os.urandom(2 << 20) + SAMPLE * 1000)
    for args, stdin in (([str(blob)], None), (["-"], blob)):
        with open(stdin or os.devnull, "rb") as given:
            result = subprocess.run(
                [sys.executable, "-m", "halint", "diagnose", *args],
                stdin=given,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        shown = "<stdin>" if args == ["-"] else args[0]
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr == f"halint: error: {shown}: binary data, not a text log\n"


@pytest.mark.parametrize("size", [2 << 20, 40 << 20], ids=["streamed", "parallel"])
def test_a_log_after_a_crash_s_nul_bytes_is_read(tmp_path: Path, size: int) -> None:
    """A crash can leave a run of NUL bytes in a log (space given to the file, never written):
    they are no reason to refuse it, and the lines after them are read."""
    log = tmp_path / "ha-log"
    log.write_bytes(b"\x00" * size + b"\n" + SAMPLE)
    doc = diagnose(str(log))
    assert "HL702" in {d["rule"] for d in doc["diagnoses"]}


def test_a_terminal_session_full_of_escapes_is_read(tmp_path: Path) -> None:
    """`script` records colours, cursor moves and backspaces: more control characters than a
    log has, but UTF-8 text, and the log lines in it are read."""
    noise = (
        "\x1b[0;1;32mroot@node2\x1b[0m:\x1b[1;34m~\x1b[0m# tail -f /var/log/ha-log\x08\x08\x07\n"
    )
    session = tmp_path / "typescript"
    session.write_bytes(noise.encode() * 2000 + SAMPLE)
    assert "HL702" in {d["rule"] for d in diagnose(str(session))["diagnoses"]}


def test_nul_bytes_alone_are_no_log() -> None:
    """/dev/zero on standard input ends after 64 MiB, not never."""
    with open("/dev/zero", "rb") as zeros:
        result = subprocess.run(
            [sys.executable, "-m", "halint", "diagnose", "-"],
            stdin=zeros,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "halint: error: <stdin>: binary data, not a text log\n"


def test_a_paste_with_junk_in_front_is_still_read(tmp_path: Path) -> None:
    log = tmp_path / "paste.txt"
    log.write_bytes(b"\x00\x01\x1b[0m" * 100 + b"\n" + SAMPLE)  # a tenth of it junk
    code, out, _ = run("diagnose", "--format", "json", str(log))
    assert code == 1 and json.loads(out)["diagnoses"]


def test_a_device_is_not_a_log() -> None:
    code, out, err = run("diagnose", "/dev/zero")
    assert (code, out, err) == (2, "", "halint: error: /dev/zero: a device, not a log\n")


def test_the_needle_trie_finds_what_a_longest_first_alternation_finds() -> None:
    import random
    import re

    from halint.logs.classify import _needles, alternation

    needles = list(_needles().by_needle)
    flat = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)))
    trie = re.compile(alternation(needles))
    rng = random.Random(5)
    for _ in range(2000):
        parts = [*rng.sample(needles, rng.randint(0, 3)), "x", " ", "node2", "12 ms"]
        rng.shuffle(parts)
        message = "".join(parts)
        assert trie.findall(message) == flat.findall(message), message
    words = ["ab", "abc", "abcd", "b"]  # prefixes of each other: the longest wins
    assert re.findall(alternation(words), "abcde ab abc b") == ["abcd", "ab", "abc", "b"]

"""What admins hand over and what the field reports: pasted fragments, planned stops and
first starts, the failures published by admins (each from a log the real daemon wrote where it
can be made to write it: tests/oracle/stage_logs.py), fixes taken from the log, time windows,
clock skew, and diagnose as a monitoring check."""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

import pytest

from halint.catalogue import rule_doc
from tests.conftest import FIXTURES, REPO, shared_dir
from tests.test_cli import make_node, run

LOGS = FIXTURES / "logs"
PASTED = LOGS / "pasted"


def diagnose(*args: str) -> dict:
    code, out, err = run("diagnose", "--format", "json", "--exit-zero", *args)
    assert code == 0, err
    return json.loads(out)


def rules_of(doc: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for d in doc["diagnoses"]:
        found.setdefault(d["rule"], []).append(d)
    return found


def both(scenario: str) -> list[str]:
    return [str(p) for p in sorted((LOGS / scenario).glob("node*.log"))]


# --- pasted fragments --------------------------------------------------------------------


def test_a_web_page_copy_wrapped_after_the_level_with_mojibake_in_front() -> None:
    doc = diagnose(str(PASTED / "wrapped-web-page.txt"))
    story = [(t["node"], t["event"]) for t in doc["timeline"]]
    assert story == [("node2", "shutdown-notice"), ("node2", "takeover"), ("node2", "acquire")]
    assert doc["resources"] == {"192.168.137.200/24/eth0": ["node2"]}


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("quoted-mail.txt", "HL701"),
        ("program-only.txt", "HL701"),
        ("line-numbers.txt", "HL702"),
        ("shell-prompt.txt", "HL702"),
        ("no-level.txt", "HL702"),
    ],
)
def test_prefixes_and_missing_fields_of_a_paste(name: str, rule: str) -> None:
    assert rule in rules_of(diagnose(str(PASTED / name)))


def test_a_lone_node_name_error_is_explained_with_its_fix() -> None:
    code, out, _ = run("diagnose", str(PASTED / "lone-node-name.txt"))
    assert code == 1  # not exit 0 with nothing
    assert "HL701" in out and "not a node of ha.cf" in out
    assert "add `node 133` to ha.cf" in out
    assert "the log ends before Heartbeat's own verdict" in out


def test_the_authkeys_block_without_its_verdict_is_explained_with_the_real_path() -> None:
    (refusal,) = rules_of(diagnose(str(PASTED / "authkeys-block.txt")))["HL701"]
    assert refusal["fix"] == "chmod 600 /etc/ha.d/authkeys"  # Heartbeat printed ha.d//authkeys
    assert "HL601" in refusal["related_rules"]


def test_errors_of_a_start_that_went_on_are_not_a_refusal(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    lines = (LOGS / "tutorial-failover" / "node1.log").read_text().splitlines()
    log.write_text("\n".join(lines[:30]) + "\n")  # "Cannot lock ourselves into memory", then on
    assert "HL701" not in rules_of(diagnose(str(log)))


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [
        ("utf-16", b""),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),  # no byte-order mark: told by where the NULs fall
        ("utf-16-be", b""),
        ("utf-8-sig", b""),
    ],
)
@pytest.mark.parametrize("given", ["file", "stdin"])
def test_a_paste_saved_by_a_windows_editor(
    tmp_path: Path, encoding: str, mark: bytes, given: str
) -> None:
    log = tmp_path / "paste.txt"
    text = (PASTED / "lone-node-name.txt").read_text().replace("\n", "\r\n")
    log.write_bytes(mark + text.encode(encoding))
    assert "HL701" in rules_of(diagnose_as(given, log))


def diagnose_as(given: str, log: Path) -> dict:  # type: ignore[type-arg]
    """The JSON report of one log, named on the command line or given on standard input."""
    import subprocess

    command = [sys.executable, "-m", "halint", "diagnose", "--format", "json", "--exit-zero"]
    with open(log, "rb") as handle:
        done = subprocess.run(
            command + (["-"] if given == "stdin" else [str(log)]),
            stdin=handle if given == "stdin" else subprocess.DEVNULL,
            capture_output=True,
            check=True,
        )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("packer", ["gzip", "bz2", "lzma"])
def test_a_compressed_log_on_standard_input_is_unpacked(tmp_path: Path, packer: str) -> None:
    """`ssh node2 cat /var/log/ha-log.1.gz | halint diagnose -`: the magic bytes tell."""
    import importlib

    log = tmp_path / "ha-log.packed"
    plain = (LOGS / "dead-peer" / "node2.log").read_bytes()
    log.write_bytes(importlib.import_module(packer).compress(plain))
    assert "HL702" in rules_of(diagnose_as("stdin", log))


def test_a_log_whose_lines_end_in_cr_alone_is_read_line_by_line(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_bytes((LOGS / "dead-peer" / "node2.log").read_bytes().replace(b"\n", b"\r"))
    for given in ("file", "stdin"):
        assert "HL702" in rules_of(diagnose_as(given, log))


@pytest.mark.parametrize(
    ("content", "size"), [("program", 30000), ("program", 300), ("random", 5000), ("random", 50)]
)
def test_a_small_binary_is_no_log(tmp_path: Path, content: str, size: int) -> None:
    """Not "OK, no failure": a program or random bytes given as a log say what they are."""
    blob = tmp_path / "blob"
    program = Path(sys.executable).resolve()
    blob.write_bytes(program.read_bytes()[:size] if content == "program" else os.urandom(size))
    code, out, _ = run("diagnose", "--format", "nagios", str(blob))
    assert code == 3 and out.startswith(f"HALINT UNKNOWN: {blob}: binary data, not a text log")


def test_heartbeat_lines_and_no_failure_are_said_in_those_words(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_text("Nov 24 23:12:28 node2 heartbeat: [22133]: info: Link node1:eth0 up.\n")
    _, out, _ = run("diagnose", str(log))
    assert "Heartbeat lines and no known failure: of 1 Heartbeat log line that matters," in out
    assert "0 lines" not in out and "lines read were" not in out


def test_plurals(tmp_path: Path) -> None:
    _, out, _ = run("diagnose", str(PASTED / "quoted-mail.txt"))
    summary = "1 diagnosis (1 error, 0 warnings, 0 infos) from 3 Heartbeat log lines that matter."
    assert summary in out
    assert "(once, " in out
    _, out, _ = run("diagnose", *both("dead-peer"))
    assert "info HL711 Resources changed hands once (once, " in out
    assert "3 diagnoses (1 error, 1 warning, 1 info)" in out


# --- what happened, not the worst reading -------------------------------------------------


def test_a_planned_stop_is_a_timeline_event_not_a_death() -> None:
    doc = diagnose(*both("planned-stop"))
    rules = rules_of(doc)
    assert "HL702" not in rules and "HL707" not in rules and "HL712" not in rules
    (stop,) = [t for t in doc["timeline"] if t["event"] == "planned-stop"]
    assert stop["node"] == "node2" and stop["detail"].startswith("node1 stopped as planned")


def test_the_tutorials_own_test_is_not_a_crash() -> None:
    rules = rules_of(diagnose(*both("tutorial-failover")))
    assert not [r for r, ds in rules.items() if any(d["severity"] == "error" for d in ds)]


@pytest.mark.skipif(shared_dir() is None, reason="the shared corpus is not beside this checkout")
def test_a_published_planned_stop_is_not_a_crash() -> None:
    log = shared_dir() / "corpus" / "logs" / "linuxzen-slave-takeover-after-master-shutdown.log"
    doc = diagnose(str(log))
    assert "HL702" not in rules_of(doc)
    assert "planned-stop" in [t["event"] for t in doc["timeline"]]


def test_a_first_start_alone_is_never_heard_not_a_crash() -> None:
    rules = rules_of(diagnose(*both("first-start-alone")))
    assert "HL702" not in rules
    (never,) = rules["HL712"]
    assert never["severity"] == "warning"
    assert never["title"] == "node1 was never heard: it never came up, or cannot be heard"
    assert any("takeover" in note for note in never["details"])


def test_a_crash_is_still_a_death() -> None:
    rules = rules_of(diagnose(*both("dead-peer")))
    assert "HL712" not in rules
    assert rules["HL702"][0]["title"] == "node1 was declared dead"


# --- the failures the field reports ---------------------------------------------------------

# scenario (logs the real daemon wrote) -> the diagnosis, and words of its title
STAGED = {
    "lost-packets": ("HL713", "packets are being lost on node2"),
    "write-failure": ("HL714", "cannot send over ucast eth0 on node1: Operation not permitted"),
    "master-killed": ("HL716", "master process died on node1"),
    "replay": ("HL717", "Packets from node1 dropped as a replay"),
    "standby-legacy": ("HL721", "standby request"),
    "foreign-node": ("HL722", "node2 receives heartbeats from node1"),
    "vip-without-interface": ("HL725", "virtual IP could not be set up on node1"),
    "watchdog-missing": ("HL726", "runs without its watchdog (/dev/watchdog)"),
}


@pytest.mark.parametrize("scenario", sorted(STAGED))
def test_a_failure_the_real_daemon_wrote(scenario: str) -> None:
    rule, words = STAGED[scenario]
    found = rules_of(diagnose(*both(scenario)))
    assert rule in found, sorted(found)
    assert any(words in d["title"] for d in found[rule]), [d["title"] for d in found[rule]]


@pytest.mark.parametrize(
    ("scenario", "line"),
    [
        ("stop-failure-reboot", "Resource STOP failure. Reboot required!"),
        ("stop-not-lsb-compliant", "Machine reboot narrowly avoided!"),
    ],
)
def test_a_stop_that_fails_on_the_real_cluster(scenario: str, line: str) -> None:
    """The failover suite's clusters, whose resource script cannot stop (logs of the real
    daemons, tests/oracle/stage_logs.py)."""
    (stop,) = rules_of(diagnose(*both(scenario)))["HL724"]
    assert stop["title"] == "A resource would not stop on node1"
    assert any(line in e["text"] for e in stop["evidence"])


@pytest.mark.parametrize("scenario", ["stop-failure-reboot", "stop-not-lsb-compliant"])
def test_a_stop_failure_s_fix_names_the_resource_that_was_retried(scenario: str) -> None:
    """Heartbeat's "Reboot required!" and "narrowly avoided!" do not name the resource; the
    retries before them do, and the fix says which script to stop by hand."""
    (stop,) = rules_of(diagnose(*both(scenario)))["HL724"]
    assert "`/etc/ha.d/resource.d/nginx.sh stop; echo $?`" in stop["fix"]
    assert stop["count"] == 1


STOP_FAILURE = (
    "2010/05/13_13:35:12  ResourceManager(default)[3042]:    CRIT: Resource STOP failure. "
    "Reboot required!\n"
)
RETRY = (
    "2010/05/13_13:35:11  ResourceManager(default)[3042]:    info: Retrying failed stop "
    "operation [{}]\n"
)
RELEASE = (
    "2010/05/13_13:35:10  ResourceManager(default)[3042]:    info: Releasing resource group: "
    "node1 {}\n"
)


@pytest.mark.parametrize(
    ("lines", "named"),
    [
        (RETRY.format("mysql") + STOP_FAILURE, "mysql"),
        (RETRY.format("web.sh") + RETRY.format("mysql") + STOP_FAILURE, "mysql"),  # the last
        (STOP_FAILURE, None),  # a lone pasted line: the rule's own fix
        # a retry of an earlier round, whose stop then succeeded, names nothing after a release
        (RETRY.format("web.sh") + RELEASE.format("mysql") + STOP_FAILURE, None),
    ],
    ids=["retried", "last-retried", "alone", "earlier-round"],
)
def test_which_resource_a_stop_failure_is_about(tmp_path: Path, lines: str, named: str) -> None:
    log = tmp_path / "ha-log"
    log.write_text(lines)
    (stop,) = rules_of(diagnose(str(log)))["HL724"]
    if named is None:
        assert stop["fix"] == rule_doc("HL724").fix
    else:
        assert f"`/etc/ha.d/resource.d/{named} stop; echo $?`" in stop["fix"]


def test_a_retried_stop_that_succeeds_is_no_diagnosis(tmp_path: Path) -> None:
    log = tmp_path / "ha-log"
    log.write_text(RETRY.format("mysql") * 3)
    assert "HL724" not in rules_of(diagnose(str(log)))


def test_debians_init_script_without_ha_cf() -> None:
    (missing,) = rules_of(diagnose(str(LOGS / "init-not-configured" / "console.txt")))["HL727"]
    assert missing["title"] == "Heartbeat was not started: /etc/ha.d/ha.cf does not exist"
    assert missing["fix"].startswith("Write /etc/ha.d/ha.cf")


def test_each_new_signature_names_its_config_rule_where_one_exists() -> None:
    expected = {"HL712": "HL504", "HL713": "HL131", "HL714": "HL605", "HL721": "HL140"}
    expected |= {"HL722": "HL506", "HL723": "HL305", "HL725": "HL302", "HL727": "HL401"}
    for rule, related in expected.items():
        assert related in rule_doc(rule).related


def test_fixes_name_what_the_log_names() -> None:
    (foreign,) = rules_of(diagnose(*both("foreign-node")))["HL722"]
    assert "add `node node1` to ha.cf" in foreign["fix"]
    (watchdog,) = rules_of(diagnose(*both("watchdog-missing")))["HL726"]
    assert "`watchdog /dev/watchdog` line" in watchdog["fix"]
    (replay,) = rules_of(diagnose(*both("replay")))["HL717"]
    assert "echo 1796167402 > /var/lib/heartbeat/hb_generation" in replay["fix"]
    (failed,) = rules_of(diagnose(*both("resource-fails")))["HL706"]
    assert "run `/etc/ha.d/resource.d/web.sh` by hand" in failed["fix"]
    assert "(it returned 1)" in failed["fix"]
    assert "IPaddr" not in failed["fix"]  # not the catalogue's example, which is another script


# Published lines of failed resources (the corpus's zongyuwang-*, ubuntuforums-mysql-*), each
# with what its fix must tell the admin to type or look at.
RESOURCE_FAILURES = {
    "ResourceManager(default)[57922]:\t2018/02/28_03:12:45 ERROR: Cannot locate resource script "
    "drbddisk": "looks for `drbddisk` in /etc/ha.d/resource.d/ and /etc/init.d/ only",
    "2018/02/28_03:12:44 ERROR: Setup problem: couldn't find command: fuser": "`command -v fuser`",
    "Jul 22 11:17:09 hostname ResourceManager[4420]: [4755]: ERROR: Resource script for mysql "
    "probably not LSB-compliant.": "Stop `mysql` twice by hand",
    "ResourceManager(default)[16525]:\t2018/03/05_13:41:28 ERROR: Return code 1 from "
    "/etc/init.d/mysqld": "run `/etc/init.d/mysqld` by hand",
}


@pytest.mark.parametrize("line", list(RESOURCE_FAILURES), ids=range(len(RESOURCE_FAILURES)))
def test_a_failed_resource_s_fix_names_its_script(tmp_path: Path, line: str) -> None:
    log = tmp_path / "ha-log"
    log.write_text(line + "\n")
    (failed,) = rules_of(diagnose(str(log)))["HL706"]
    assert RESOURCE_FAILURES[line] in failed["fix"]


# --- the Diagnoser knows no rule ------------------------------------------------------------


def test_the_diagnoser_names_no_rule() -> None:
    source = (REPO / "halint" / "logs" / "diagnose.py").read_text()
    assert not re.findall(r"HL\d{3}", source)
    reader = (REPO / "halint" / "logs" / "reader.py").read_text()
    assert "Late node Link" not in reader  # no hand-kept list of first words


def test_a_new_signature_is_one_toml_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A signature whose message starts with a word no other uses is found by the quick path
    of a large log too, with nothing but its TOML."""
    from halint import resources
    from halint.catalogue import all_rule_ids, rule_doc
    from halint.logs import needles, signatures
    from halint.rulemeta import raw_rule

    rules = tmp_path / "rules"
    rules.mkdir()
    for path in (REPO / "rules").glob("*.toml"):
        (rules / path.name).write_bytes(path.read_bytes())
    (rules / "HL799.toml").write_text(
        (REPO / "rules" / "HL718.toml")
        .read_text()
        .replace('id = "HL718"', 'id = "HL799"')
        .replace('name = "clock-jumped"', 'name = "frobnicator-stuck"')
        .replace("Clock jumped backwards. Compensating.", "Frobnicator stuck at 42.")
        .replace("Clock jumped backwards", "Frobnicator stuck")
    )
    original = resources.data_dir

    def data_dir(name: str) -> Path:
        return rules if name == "rules" else original(name)

    monkeypatch.setattr("halint.catalogue.data_dir", data_dir)
    monkeypatch.setattr("halint.rulemeta.data_dir", data_dir)
    caches = (rule_doc, raw_rule, signatures.signatures, needles.filters)
    for cached in caches:
        cached.cache_clear()
    monkeypatch.setattr("halint.logs.digest.PASTE_SIZE", 0)  # the quick path of a large log
    from halint.logs.classify import _SEEN, _needles

    _needles.cache_clear()
    _SEEN.clear()
    try:
        assert "HL799" in all_rule_ids()
        log = tmp_path / "ha-log"
        log.write_text("Nov 24 22:50:01 node1 heartbeat: [3000]: WARN: Frobnicator stuck at 42.\n")
        from halint.logs.run import run_diagnose

        result = run_diagnose([str(log)], [])
        assert [d.rule for d in result.diagnoses] == ["HL799"]
    finally:
        monkeypatch.undo()
        for cached in (*caches, _needles):
            cached.cache_clear()
        _SEEN.clear()


# --- time -------------------------------------------------------------------------------


def test_since_and_until_keep_a_window() -> None:
    logs = both("dead-peer")
    before = rules_of(diagnose(*logs, "--until", "2026-11-24 23:12:40"))
    assert "HL702" not in before
    during = rules_of(diagnose(*logs, "--since", "2026-11-24 23:12:40"))
    assert "HL702" in during


def test_an_age_counts_back_from_now(tmp_path: Path) -> None:
    doc = diagnose(*both("dead-peer"), "--since", "2h")  # the fixture is older than that
    assert doc["diagnoses"] == [] and doc["summary"]["events"] == 0


@pytest.mark.parametrize("value", ["yesterday", "2 hours", "2026-13-01"])
def test_a_bad_window_is_a_usage_error(value: str) -> None:
    code, _, err = run("diagnose", *both("dead-peer"), "--since", value)
    assert code == 2 and "neither a time" in err


def test_clock_skew_is_estimated_and_the_timeline_corrected() -> None:
    doc = diagnose(*both("skewed-clock"))  # node2's daemon ran with a clock 40 s ahead
    (skew,) = doc["clock_skew"]
    assert skew["node"] == "node2" and skew["reference"] == "node1"
    assert 38 <= skew["seconds"] <= 42
    assert "the clock of node2 is about 40 s ahead of node1's" in doc["notes"][0]
    story = [(t["node"], t["event"]) for t in doc["timeline"]]
    assert story.index(("node1", "stopping")) < story.index(("node2", "shutdown-notice"))
    times = [t["time"] for t in doc["timeline"]]
    assert times == sorted(times)


def test_a_skew_of_hours_is_found_too(tmp_path: Path) -> None:
    """Two nodes in different time zones: their logs are hours apart, and the shutdown and
    its notice still pair up."""
    from datetime import datetime, timedelta

    logs = []
    for name in ("node1.log", "node2.log"):
        text = (LOGS / "skewed-clock" / name).read_text()
        if name == "node2.log":  # two hours more ahead
            text = re.sub(
                r"^Dec 01 (\d\d:\d\d:\d\d)",
                lambda m: (
                    datetime(2026, 12, 1)
                    + (datetime.strptime(m[1], "%H:%M:%S") - datetime(1900, 1, 1))
                    + timedelta(hours=2)
                ).strftime("%b %d %H:%M:%S"),
                text,
                flags=re.M,
            )
        (tmp_path / name).write_text(text)
        logs.append(str(tmp_path / name))
    doc = diagnose(*logs)
    (skew,) = doc["clock_skew"]
    assert skew["node"] == "node2" and 7238 <= skew["seconds"] <= 7242
    assert "(about 2 h: are the nodes' clocks set to different time zones?)" in doc["notes"][0]
    story = [(t["node"], t["event"]) for t in doc["timeline"]]
    assert story.index(("node1", "stopping")) < story.index(("node2", "shutdown-notice"))


def test_who_holds_what_at_the_end_is_judged_in_one_clock(tmp_path: Path) -> None:
    """node2's clock is 40 s ahead: its last line is stamped after node1 declared it dead,
    though it came 20 s before. In one clock node2 was down at the end, and only node1 holds
    the group (not both: no split brain at the end)."""
    hb = "heartbeat: [{pid}]: info:"
    node1 = [
        f"Dec 01 10:00:00 node1 {hb} Configuration validated. Starting heartbeat 3.0.6",
        f"Dec 01 10:00:02 node1 {hb} Link node2:eth0 up.",
        "Dec 01 10:05:30 node1 heartbeat: [{pid}]: WARN: node node2: is dead",
        f"Dec 01 10:05:30 node1 {hb} Resources being acquired from node2.",
        "2026/12/01_10:05:31 ResourceManager(default)[20]: info: Acquiring resource group: "
        "node2 IPaddr::10.0.0.9/24/eth0",
    ]
    node2 = [
        f"Dec 01 10:00:41 node2 {hb} Configuration validated. Starting heartbeat 3.0.6",
        f"Dec 01 10:00:41 node2 {hb} Link node1:eth0 up.",
        "2026/12/01_10:01:40 ResourceManager(default)[30]: info: Acquiring resource group: "
        "node2 IPaddr::10.0.0.9/24/eth0",
        f"Dec 01 10:05:50 node2 {hb} Status update for node node1: status active",
    ]
    when = datetime(2026, 12, 1, 12, 0).timestamp()
    for name, lines in (("node1.log", node1), ("node2.log", node2)):
        (tmp_path / name).write_text("".join(line.format(pid=7) + "\n" for line in lines))
        os.utime(tmp_path / name, (when, when))
    doc = diagnose(str(tmp_path / "node1.log"), str(tmp_path / "node2.log"))
    (skew,) = doc["clock_skew"]
    assert skew["node"] == "node2" and 39 <= skew["seconds"] <= 41
    assert doc["resources"] == {"IPaddr::10.0.0.9/24/eth0": ["node1"]}


@pytest.mark.parametrize(
    "scenario", ["tutorial-failover", "dead-peer", "split-brain", "replay", "planned-stop"]
)
def test_no_skew_is_reported_between_clocks_that_agree(scenario: str) -> None:
    assert diagnose(*both(scenario))["clock_skew"] == []


# --- monitoring ---------------------------------------------------------------------------

STATUS = re.compile(
    r"^HALINT (OK|WARNING|CRITICAL|UNKNOWN): [^|\n]+( \| ([\w]+=[^ ;]+(;[^ ;]*){0,4} ?)+)?$"
)


def nagios(*args: str) -> tuple[int, list[str]]:
    code, out, _ = run(*args, "--format", "nagios")
    lines = out.splitlines()
    assert STATUS.match(lines[0]), lines[0]
    return code, lines


def test_nagios_critical_on_a_dead_node_with_perfdata() -> None:
    code, lines = nagios("diagnose", *both("dead-peer"))
    assert code == 2 and lines[0].startswith("HALINT CRITICAL: 1 error, 1 warning: HL702")
    assert "dead_nodes=1;;1;0" in lines[0] and "failovers=1;;;0" in lines[0]


def test_nagios_warning_on_late_heartbeats() -> None:
    code, lines = nagios("diagnose", *both("late-heartbeat"))
    assert code == 1 and lines[0].startswith("HALINT WARNING:")
    assert "late_heartbeat=5300ms;;;0" in lines[0]


def test_nagios_ok_on_a_planned_failover() -> None:
    code, lines = nagios("diagnose", *both("tutorial-failover"))
    assert code == 0
    assert lines[0].startswith("HALINT OK: no Heartbeat failure, resources changed hands twice")


def test_nagios_with_since_is_a_check_of_the_last_interval() -> None:
    code, lines = nagios("diagnose", *both("dead-peer"), "--since", "15m")
    assert code == 0 and lines[0].startswith("HALINT OK: no Heartbeat failure in the last 15m")


def test_nagios_unknown_for_a_log_that_cannot_be_read(tmp_path: Path) -> None:
    code, lines = nagios("diagnose", str(tmp_path / "no-such-log"))
    assert code == 3 and lines[0].startswith("HALINT UNKNOWN:")


def test_nagios_an_age_older_than_any_log_keeps_every_line() -> None:
    for age in ("99999999w", "9" * 40 + "w"):
        code, lines = nagios("diagnose", *both("dead-peer"), "--since", age)
        assert code == 2
        assert lines[0].startswith(f"HALINT CRITICAL: 1 error, 1 warning in the last {age}: HL702")


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--fail-on", "bogus"], "Invalid value for '--fail-on'"),
        (["--bogus"], "No such option '--bogus'"),
        (["--since", "yesterday"], "`yesterday` is neither a time"),
    ],
)
def test_nagios_a_usage_error_is_unknown_with_a_status_line(
    arguments: list[str], said: str
) -> None:
    """A monitoring plugin exits 3 with a status line for anything that kept it from checking,
    a mistyped option too (not click's exit 2, which Nagios reads as CRITICAL)."""
    import subprocess

    command = [sys.executable, "-m", "halint", "diagnose", "--format", "nagios", *arguments]
    done = subprocess.run(command + both("dead-peer"), capture_output=True, text=True)
    assert done.returncode == 3
    assert done.stdout.startswith("HALINT UNKNOWN: ") and said in done.stdout


def test_nagios_for_check(tmp_path: Path) -> None:
    code, lines = nagios("check", "--offline", str(REPO / "examples" / "tutorial" / "ha.d"))
    assert code == 2 and re.match(r"HALINT CRITICAL: 1 error, 3 warnings: HL3\d\d ", lines[0])
    assert "errors=1;;1;0 warnings=3;1;;0" in lines[0]
    code, lines = nagios("check", "--offline", str(make_node(tmp_path / "ha.d")))
    assert (code, lines[0].split(" | ")[0]) == (0, "HALINT OK: configuration clean")
    code, lines = nagios("check", "--offline", str(tmp_path / "missing"))
    assert code == 3 and lines[0].startswith("HALINT UNKNOWN:")


# --- options and reports ------------------------------------------------------------------


def test_the_old_option_spellings_still_work_and_warn(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d")
    code, out, err = run("diagnose", *both("dead-peer"), "--config", str(node), "--node", "node1")
    assert code == 1
    assert "`diagnose --config` is deprecated, use `--ha-d`" in err
    assert "`diagnose --node` is deprecated, use `--timeline-node`" in err
    timeline = out.split("Timeline")[1].split("Resources at the end")[0].splitlines()[1:]
    assert {line.split()[2] for line in timeline if line.strip()} == {"node1"}


def test_diagnose_sarif_carries_the_related_config_findings(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d")
    os.chmod(node / "authkeys", 0o644)
    log = LOGS / "startup-authkeys-644" / "node1.log"
    _, out, _ = run("diagnose", "--format", "sarif", str(log), "--ha-d", str(node))
    results = json.loads(out)["runs"][0]["results"]
    (refusal,) = [r for r in results if r["ruleId"] == "HL701"]
    related = refusal["relatedLocations"]
    assert any("HL601" in r["message"]["text"] for r in related)


def test_binary_junk_is_shown_once(tmp_path: Path) -> None:
    node = tmp_path / "ha.d"
    node.mkdir()
    (node / "ha.cf").write_bytes(b"\x00\x01\xfe\xff\x02garbage\x00\x00\n")
    _, out, _ = run("check", "--offline", str(node))
    assert out.count("garbage") == 1
    assert "(binary data, shown above)" in out


def test_the_quick_filters_find_every_signatures_bad_example(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Read as a large log is (the quick filters only, no paste reading), each HL7xx rule's
    bad examples still raise it: the filters are derived from the signatures' needles and
    tested against them."""
    from halint.catalogue import all_rule_ids
    from halint.logs.run import run_diagnose

    monkeypatch.setattr("halint.logs.digest.PASTE_SIZE", 0)
    missed = []
    for rule_id in [r for r in all_rule_ids() if r.startswith("HL7")]:
        for index, example in enumerate(rule_doc(rule_id).bad):
            log = tmp_path / f"{rule_id}-{index}.log"
            log.write_text(example.log or "")
            found = {d.rule for d in run_diagnose([str(log)], []).diagnoses}
            if rule_id not in found:
                missed.append(rule_id)
    # Debian's init script prints its line to the console: a line of no log shape, read in a
    # paste only (a large log is an ha-log or syslog, where it never is).
    assert missed == ["HL727"]


def test_a_dead_node_that_held_nothing_is_said_so() -> None:
    """ "Dead node X gave up resources.": nothing was taken over from X (here ipfail had moved
    the resources before X went silent)."""
    shared = shared_dir()
    if shared is None:
        pytest.skip("the corpus (../shared) is not beside this checkout")
    logs = shared / "corpus" / "logs"
    code, out, _ = run("diagnose", str(logs / "ubuntuforums-prodlb02-ipfail-we-are-dead.log"))
    assert code == 1 and "error HL702 prodlb01 was declared dead" in out
    assert (
        'prodlb01 held no resources when it was declared dead (Heartbeat: "Dead node '
        'prodlb01 gave up resources."): nothing had to be taken over from it' in out
    )
    doc = diagnose(str(logs / "linuxzen-slave-takeover-after-master-shutdown.log"))
    assert "HL702" not in rules_of(doc)  # the notice is read: a planned stop
    assert "held-nothing" in {t["event"] for t in doc["timeline"]}


@pytest.mark.parametrize("given", ["node2", "both"])
def test_a_window_that_starts_after_a_shutdown_notice_still_sees_a_planned_stop(
    given: str,
) -> None:
    """--since between node1's shutdown notice and its death: the notice is outside the
    window, but what it says is kept, so the death is still a planned stop, not CRITICAL."""
    logs = both("planned-stop") if given == "both" else [str(LOGS / "planned-stop" / "node2.log")]
    code, lines = nagios("diagnose", *logs, "--since", "2026-12-01 23:22:50")
    assert code == 0 and lines[0].startswith("HALINT OK: no Heartbeat failure since")
    doc = diagnose(*logs, "--since", "2026-12-01 23:22:50")
    assert "planned-stop" in {t["event"] for t in doc["timeline"]}
    assert "shutdown-notice" not in {t["event"] for t in doc["timeline"]}  # (not shown)


def test_a_window_with_no_lines_says_so(tmp_path: Path) -> None:
    log = str(LOGS / "dead-peer" / "node2.log")
    code, out, _ = run("diagnose", "--since", "2030-01-01", log)
    assert (code, out) == (0, "No Heartbeat lines since 2030-01-01: nothing to diagnose.\n")


def test_a_gzipped_utf16_log_is_read(tmp_path: Path) -> None:
    import gzip

    log = tmp_path / "ha-log.1.gz"
    text = (LOGS / "dead-peer" / "node2.log").read_text()
    log.write_bytes(gzip.compress(text.encode("utf-16-le")))
    assert "HL702" in rules_of(diagnose(str(log)))


def _shifted(text: str, hours: float) -> str:
    """A log as a node whose clock is `hours` ahead would have written it."""
    from datetime import timedelta

    ahead = timedelta(hours=hours)

    def syslog(m: re.Match[str]) -> str:
        when = datetime.strptime("2026 " + m[1], "%Y %b %d %H:%M:%S") + ahead
        return when.strftime("%b %d %H:%M:%S")

    def dated(m: re.Match[str]) -> str:
        return (datetime.strptime(m[1], "%Y/%m/%d_%H:%M:%S") + ahead).strftime("%Y/%m/%d_%H:%M:%S")

    text = re.sub(r"^([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)", syslog, text, flags=re.M)
    return re.sub(r"^(\d{4}/\d\d/\d\d_\d\d:\d\d:\d\d)", dated, text, flags=re.M)


def test_a_takeover_is_told_in_one_clock_and_shown_as_logged(tmp_path: Path) -> None:
    """node1's clock 3 h ahead: its first acquisition, stamped after node2's takeover, is
    still the first, not a change of hands; the takeover is node2's line, at node2's time."""
    shifted = tmp_path / "node1.log"
    shifted.write_text(_shifted((LOGS / "dead-peer" / "node1.log").read_text(), 3))
    doc = diagnose(str(shifted), str(LOGS / "dead-peer" / "node2.log"))
    (skew,) = doc["clock_skew"]  # node2 is 3 h behind node1, the reference
    assert (skew["node"], skew["seconds"]) == ("node2", -10800.0)
    (changes,) = [d for d in doc["diagnoses"] if d["rule"] == "HL711"]
    assert [e["path"].rsplit("/", 1)[1] for e in changes["evidence"]] == ["node2.log"]
    assert changes["first"] == "2026-11-24 23:12:48"

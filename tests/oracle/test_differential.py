"""halint against the real Heartbeat 3.0.6: a blocks_start finding exactly when it refuses."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from halint.checks.live import API_GROUP, DAEMON_USER
from halint.engine import CheckRequest, run_check
from halint.hostfacts import LiveHost
from tests.oracle.cases import CASES, Case
from tests.oracle.heartbeat import Verdict, judge, unavailable_reason, write_config

pytestmark = pytest.mark.oracle


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Verdict]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"oracle tests skipped: {reason}")

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip((c.name for c in CASES), pool.map(verdict_of, CASES), strict=True))


def verdict_of(case: Case) -> Verdict:
    """The real daemon's verdict on a case: its files, host name, interfaces, modes, accounts."""
    return judge(
        case.files(),
        case.node,
        case.interfaces,
        case.authkeys_mode,
        case.scripts,
        case.script_mode,
        accounts=case.accounts,
        ocf_agents=case.ocf_agents,
    )


def halint_findings(case: Case, tmp_path: Path):
    folder = tmp_path / "ha.d"
    write_config(folder, case.files(), case.authkeys_mode, case.scripts, case.script_mode)
    host = CaseHost(case)
    return run_check(CheckRequest(paths=[str(folder)], host=host, use_config=False)).findings()


class CaseHost(LiveHost):
    """This machine as the daemon saw it in a case: the case's host name and interfaces, without
    Heartbeat's accounts or the OCF agents where the case hid them, with the case's files."""

    OCF = "/usr/lib/ocf/resource.d/heartbeat/"

    def __init__(self, case: Case) -> None:
        super().__init__(case.node, "--node", case.addresses())
        self.case = case
        self.files_given = dict(case.host_files)

    def user_exists(self, name: str) -> bool:
        return (self.case.accounts or name != DAEMON_USER) and super().user_exists(name)

    def group_exists(self, name: str) -> bool:
        return (self.case.accounts or name != API_GROUP) and super().group_exists(name)

    def is_executable(self, path: str) -> bool:
        if not self.case.ocf_agents and path.startswith(self.OCF):
            return False
        return super().is_executable(path)

    def read_text(self, path: str) -> str | None:
        return self.files_given.get(path)

    def list_dir(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/"
        return sorted(
            {p[len(prefix) :].split("/")[0] for p in self.files_given if p.startswith(prefix)}
        )


def test_cases_are_many_and_distinct() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(names) >= 40


def test_the_daemon_writes_nothing_where_the_tests_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative logfile is relative to the daemon's working directory: the oracle starts it
    in the case's own folder, not in the repository the tests run from."""
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"oracle tests skipped: {reason}")
    from tests.oracle.cases import ETH0, hacf

    monkeypatch.chdir(tmp_path)
    files = Case("relative-logfile", hacf(replace={"logfile": "logfile relative.log"})).files()
    verdict = judge(files, "node1", (ETH0,))
    assert not verdict.refused
    assert list(tmp_path.iterdir()) == []


def test_every_config_rule_is_put_before_the_daemon(tmp_path: Path) -> None:
    """Each rule of ha.d (HL1xx-HL4xx, HL6xx) is raised by at least one case the daemon judges,
    so its blocks_start rests on what Heartbeat did. Needs no daemon: it reads halint's side."""
    from halint.catalogue import all_rule_ids

    raised: set[str] = set()
    for index, case in enumerate(CASES):
        raised.update(f.rule for f in halint_findings(case, tmp_path / str(index)))
    config_rules = {r for r in all_rule_ids() if r[2] in "12346"}
    assert config_rules - raised == set()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_blocks_start_agrees_with_heartbeat(
    case: Case, verdicts: dict[str, Verdict], tmp_path: Path
) -> None:
    verdict = verdicts[case.name]
    findings = halint_findings(case, tmp_path)
    blocking = [f"{f.rule} {f.path}:{f.line}: {f.message}" for f in findings if f.blocks_start]
    said = verdict.first_error() or "(no error)"
    if verdict.refused:
        assert blocking, f"Heartbeat refused to start ({said}) but halint found nothing blocking"
    else:
        assert not blocking, f"Heartbeat started, but halint says it would not: {blocking}"


def explaining_error(verdict: Verdict) -> tuple[str | None, set[str] | None]:
    """The error line that explains a refusal, chosen as `halint diagnose` chooses it
    (explaining_line, over HL701's reason table), and the config rules the table names for it;
    (the first error, None) when no line has a reason."""
    from halint.catalogue import rule_doc
    from halint.logs.diagnose import explaining_line

    errors = verdict.explaining_errors()
    found = explaining_line(errors, rule_doc("HL701").reasons)
    if found is None:
        return verdict.first_error(), None
    index, reason = found
    return errors[index], set(reason.rules)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_first_error_heartbeat_names_is_among_the_findings(
    case: Case, verdicts: dict[str, Verdict], tmp_path: Path
) -> None:
    verdict = verdicts[case.name]
    if not verdict.refused or verdict.hung or verdict.crashed:
        return  # a start that hangs or crashes logs nothing to compare (the blocking test does)
    said, rules = explaining_error(verdict)
    assert said is not None, f"Heartbeat refused without an error line: {verdict.stderr[-400:]}"
    assert rules is not None, f"HL701 knows no reason for Heartbeat's first error: {said!r}"
    blocking = {f.rule for f in halint_findings(case, tmp_path) if f.blocks_start}
    assert blocking & rules, f"Heartbeat said {said!r}; halint's blocking findings: {blocking}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_diagnose_reads_the_refusal_from_the_daemons_own_log(
    case: Case, verdicts: dict[str, Verdict], tmp_path: Path
) -> None:
    """`halint diagnose` on the ha-log the daemon wrote names a reason whose config rules are
    among halint's blocking findings for the same configuration."""
    from halint.logs.run import run_diagnose

    verdict = verdicts[case.name]
    if not verdict.refused or verdict.hung or verdict.crashed:
        return
    if verdict.exit_code >= 128:
        return  # it crashed (killed by a signal) after its errors: no refusal line to read
    log = tmp_path / "ha-log"
    log.write_text(verdict.log + verdict.stderr)
    refusals = [d for d in run_diagnose([str(log)], []).diagnoses if d.rule == "HL701"]
    assert refusals, f"diagnose saw no refused start in:\n{verdict.log[-600:]}"
    blocking = {f.rule for f in halint_findings(case, tmp_path / "ha.d") if f.blocks_start}
    named = {rule for d in refusals for rule in d.related_rules}
    assert named & blocking, f"diagnose: {[d.title() for d in refusals]}; blocking: {blocking}"

"""The command line as a user and a script see it: formats, exit codes, options."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from halint import __version__
from halint.cli import cli

GOOD_HACF = (
    "logfile /var/log/ha-log\nkeepalive 2\ndeadtime 30\nwarntime 10\ninitdead 60\n"
    "ucast eth0 192.168.1.2\nucast eth1 10.0.0.2\nauto_failback on\nnode node1\nnode node2\n"
)
GOOD_AUTHKEYS = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
GOOD_HARESOURCES = "node1 IPaddr::192.168.1.100/24/eth0\n"


def make_node(
    folder: Path,
    hacf: str = GOOD_HACF,
    authkeys: str = GOOD_AUTHKEYS,
    haresources: str | None = GOOD_HARESOURCES,
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ha.cf").write_text(hacf)
    (folder / "authkeys").write_text(authkeys)
    os.chmod(folder / "authkeys", 0o600)
    if haresources is not None:
        (folder / "haresources").write_text(haresources)
    return folder


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_clean_node_exits_0(tmp_path: Path) -> None:
    code, out, _ = run("check", "--offline", str(make_node(tmp_path / "ha.d")))
    assert code == 0
    assert "No problems found." in out


def test_text_format_locates_quotes_the_line_and_says_the_fix(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s"))
    code, out, _ = run("check", "--offline", str(node))
    assert code == 1
    path = node / "ha.cf"
    assert f"{path}:3:10: error HL102 deadtime `30s`:" in out
    assert "    3 | deadtime 30s" in out
    assert "      |          ^^^" in out
    assert "= fix [*]: write `deadtime 30`" in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_json_matches_the_contract(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("keepalive 2", "kepalive 2"))
    code, out, _ = run("check", "--offline", "--format", "json", str(node))
    assert code == 1
    document = json.loads(out)
    assert document["version"] == 1
    assert document["tool"] == {"name": "halint", "version": __version__}
    (finding,) = document["findings"]
    assert set(finding) == {
        "rule",
        "name",
        "severity",
        "blocks_start",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "node",
        "cluster",
        "message",
        "fix",
        "fixable",
        "related",
    }
    assert finding["fixable"] is False  # a typo: halint does not guess the directive
    assert finding["cluster"] is None  # one node: no cluster to name
    assert finding["rule"] == "HL101"
    assert finding["name"] == "unknown-directive"
    assert finding["severity"] == "error"
    assert finding["blocks_start"] is True
    assert (finding["line"], finding["column"], finding["end_column"]) == (2, 1, 9)
    assert finding["path"] == str(node / "ha.cf")
    assert "Did you mean `keepalive`?" in finding["message"]
    assert "Illegal directive [kepalive]" in finding["message"]
    assert finding["related"] == []
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0, "blocks_start": True}


def test_fail_on_sets_the_exit_code_not_the_format(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF + "keepalive\n")  # a warning only
    assert run("check", "--offline", str(node))[0] == 1
    assert run("check", "--offline", "--fail-on", "error", str(node))[0] == 0
    assert run("check", "--offline", "--fail-on", "error", "--format", "json", str(node))[0] == 0
    assert run("check", "--offline", "--fail-on", "info", str(node))[0] == 1


def test_select_and_ignore(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF + "kepalive 2\nkeepalive\n")
    _, out, _ = run("check", "--offline", "--format", "json", "--ignore", "HL101", str(node))
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["HL103"]
    _, out, _ = run("check", "--offline", "--format", "json", "--select", "HL101", str(node))
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["HL101"]
    code, _, err = run("check", "--select", "bogus", str(node))
    assert code == 2 and "not a rule ID" in err


def test_a_single_file_is_checked_alone(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF + "kepalive 2\n", haresources=None)
    code, out, _ = run("check", "--offline", "--format", "json", str(node / "ha.cf"))
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert rules == ["HL101"]  # the missing haresources beside it is not this file's problem
    assert code == 1


def test_findings_come_in_file_and_line_order(tmp_path: Path) -> None:
    node = make_node(
        tmp_path / "ha.d",
        hacf=GOOD_HACF + "zzz 1\naaa 2\n",
        authkeys="Auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
    )
    _, out, _ = run("check", "--offline", "--format", "json", str(node))
    places = [(f["path"], f["line"]) for f in json.loads(out)["findings"]]
    assert places == sorted(places)
    assert len(places) >= 3


def test_missing_path_is_a_one_line_usage_error(tmp_path: Path) -> None:
    code, _out, err = run("check", str(tmp_path / "nope"))
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "no such file or folder" in err


def test_node_with_offline_is_a_usage_error(tmp_path: Path) -> None:
    """--offline skips the rules --node is for: together, --node would be ignored unseen."""
    node = make_node(tmp_path / "ha.d")
    code, out, err = run("check", "--offline", "--node", "web3", str(node))
    assert (code, out) == (2, "")
    assert err.startswith("halint: error: --node stands in for this machine's name")
    assert err.count("\n") == 1


def test_version_and_rules_and_explain() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out
    code, out, _ = run("rules")
    assert code == 0 and "HL101  unknown-directive" in out
    code, out, _ = run("explain", "HL101")
    assert code == 0 and "Illegal directive [%s] in %s" in out and "Bad:" in out
    code, out, _ = run("explain", "unknown-directive")
    assert code == 0 and out.startswith("# HL101 unknown-directive")
    code, _, err = run("explain", "HL999")
    assert code == 2 and "no rule" in err


def test_console_script_runs_from_another_folder(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("keepalive 2", "keepalive 2s"))
    result = subprocess.run(
        [sys.executable, "-m", "halint", "check", "--offline", str(node)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "HL102" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {}])
def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path: Path, env: dict) -> None:
    from halint.report.text import use_colour

    os.environ.pop("NO_COLOR", None)
    os.environ.update(env)
    assert use_colour(True) is (env == {})
    assert use_colour(False) is False


@pytest.mark.parametrize("option", ["--select", "--ignore"])
@pytest.mark.parametrize("rule", ["HL999", "HL9"])
def test_a_rule_that_does_not_exist_is_an_error(tmp_path: Path, option: str, rule: str) -> None:
    """Well-formed but of no rule: a mistyped --select would check nothing and pass."""
    code, out, err = run("check", "--offline", option, rule, str(make_node(tmp_path / "ha.d")))
    assert (code, out) == (2, "")
    assert err == f"halint: error: `{rule}` names no rule (`halint rules` lists them)\n"


def test_standard_input_offers_no_fix() -> None:
    """--fix has no file to write on standard input: no `[*]` and no `fixable` promise."""
    result = CliRunner().invoke(
        cli, ["check", "--offline", "--kind", "ha.cf", "-"], input=GOOD_HACF + "deadtime 30s\n"
    )
    assert "HL102" in result.stdout and "fix [*]" not in result.stdout
    assert "fixable" not in result.stdout

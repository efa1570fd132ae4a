"""Configuration files and inline suppressions change what is reported, and say when wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import GOOD_HACF, make_node, run

SHORT_INITDEAD = GOOD_HACF.replace("initdead 60", "initdead 40")


def rules(out: str) -> list[str]:
    return [f["rule"] for f in json.loads(out)["findings"]]


def check_json(*args: str) -> tuple[int, list[str]]:
    code, out, err = run("check", "--offline", "--format", "json", *args)
    assert code in (0, 1), err
    return code, rules(out)


# --- configuration ------------------------------------------------------------------------


def test_halint_toml_changes_what_is_reported(tmp_path: Path) -> None:
    node = make_node(tmp_path / "cluster" / "ha.d", hacf=SHORT_INITDEAD + "kepalive 2\n")
    assert check_json(str(node))[1] == ["HL110", "HL101"] or set(check_json(str(node))[1]) == {
        "HL110",
        "HL101",
    }
    (tmp_path / ".halint.toml").write_text('ignore = ["HL110"]\n')
    assert check_json(str(node))[1] == ["HL101"]
    (tmp_path / ".halint.toml").write_text('select = ["HL1"]\nignore = ["HL101"]\n')
    assert check_json(str(node))[1] == ["HL110"]


def test_fail_on_severity_and_per_path_ignores(tmp_path: Path) -> None:
    node = make_node(tmp_path / "web1", hacf=SHORT_INITDEAD)
    config = tmp_path / ".halint.toml"
    config.write_text('fail-on = "error"\n')
    assert check_json(str(node)) == (0, ["HL110"])
    config.write_text('fail-on = "error"\n[severity]\nHL110 = "error"\n')
    code, out, _ = run("check", "--offline", "--format", "json", str(node))
    assert code == 1 and json.loads(out)["findings"][0]["severity"] == "error"
    config.write_text('[per-path-ignores]\n"web1/ha.cf" = ["HL110"]\n')
    assert check_json(str(node)) == (0, [])
    config.write_text('[per-path-ignores]\n"web2/*" = ["HL110"]\n')
    assert check_json(str(node)) == (1, ["HL110"])


def test_the_command_line_wins_over_the_file(tmp_path: Path) -> None:
    node = make_node(tmp_path / "web1", hacf=SHORT_INITDEAD)
    (tmp_path / ".halint.toml").write_text('fail-on = "error"\nselect = ["HL2"]\n')
    assert check_json("--select", "HL1", "--fail-on", "warning", str(node)) == (1, ["HL110"])


def test_pyproject_tool_halint_and_offline(tmp_path: Path) -> None:
    node = make_node(tmp_path / "web1", hacf=SHORT_INITDEAD)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.halint]\nignore = ["HL110"]\noffline = true\n'
    )
    code, out, _ = run("check", "--format", "json", str(node))
    assert rules(out) == []  # live rules (authkeys mode, node name) off, HL110 ignored
    assert code == 0


def test_the_nearest_file_wins(tmp_path: Path) -> None:
    node = make_node(tmp_path / "a" / "web1", hacf=SHORT_INITDEAD)
    (tmp_path / ".halint.toml").write_text('ignore = ["HL110"]\n')
    (tmp_path / "a" / ".halint.toml").write_text('ignore = ["HL2"]\n')
    assert check_json(str(node))[1] == ["HL110"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('selct = ["HL1"]\n', "selct: unknown key"),
        ('fail-on = "sometimes"\n', "fail-on: Input should be 'error', 'warning' or 'info'"),
        ('ignore = ["E501"]\n', "ignore: 'E501' is not a rule ID"),
        ('[severity]\nHL110 = "fatal"\n', "severity.HL110"),
        ("ignore = [\n", "not valid TOML"),
    ],
)
def test_a_bad_config_is_a_usage_error_naming_file_and_key(
    tmp_path: Path, text: str, said: str
) -> None:
    node = make_node(tmp_path / "web1")
    (tmp_path / ".halint.toml").write_text(text)
    code, out, err = run("check", "--offline", str(node))
    assert code == 2 and out == ""
    assert err.startswith(f"halint: error: {tmp_path / '.halint.toml'}: ")
    assert said in err
    assert err.count("\n") == 1


def test_explicit_config_path(tmp_path: Path) -> None:
    node = make_node(tmp_path / "web1", hacf=SHORT_INITDEAD)
    other = tmp_path / "elsewhere.toml"
    other.write_text('ignore = ["HL110"]\n')
    assert check_json("--config", str(other), str(node))[1] == []


# --- inline suppressions -------------------------------------------------------------------


def test_ignore_comment_suppresses_the_next_directive_only(tmp_path: Path) -> None:
    hacf = SHORT_INITDEAD.replace(
        "initdead 40", "# halint: ignore[HL110] lab cluster, boots fast\ninitdead 40"
    )
    node = make_node(tmp_path / "ha.d", hacf=hacf + "kepalive 2\n")
    assert check_json(str(node))[1] == ["HL101"]


def test_ignore_comment_skips_blank_and_comment_lines(tmp_path: Path) -> None:
    hacf = SHORT_INITDEAD.replace(
        "initdead 40", "# halint: ignore[HL110]\n\n# why: see ticket 42\ninitdead 40"
    )
    assert check_json(str(make_node(tmp_path / "ha.d", hacf=hacf)))[1] == []


def test_file_ignore_in_each_file(tmp_path: Path) -> None:
    node = make_node(
        tmp_path / "ha.d",
        hacf="# halint: file-ignore[HL110]\n" + SHORT_INITDEAD,
        authkeys="# halint: file-ignore[HL207] the lab key\nauth 1\n1 sha1 1a2b3c\n",
        haresources="# halint: ignore[HL304]\nnode1 IPaddr::192.168.1.100/24/eth0 \\\n    web.sh\n",
    )
    (node / "resource.d").mkdir()
    (node / "resource.d" / "web.sh").write_text("#!/bin/sh\n")
    assert check_json(str(node)) == (0, [])


def test_a_suppression_that_suppresses_nothing_is_reported(tmp_path: Path) -> None:
    hacf = (
        "# halint: ignore[HL110] not needed any more\n"
        + GOOD_HACF
        + "# halint: file-ignore[HL999, bogus]\n"
    )
    code, out, _ = run(
        "check", "--offline", "--format", "json", str(make_node(tmp_path / "ha.d", hacf=hacf))
    )
    findings = json.loads(out)["findings"]
    assert [(f["rule"], f["line"], f["severity"]) for f in findings] == [
        ("HL404", 1, "info"),
        ("HL404", 12, "info"),
    ]
    assert "nothing on line 2 raises HL110" in findings[0]["message"]
    assert "`BOGUS` is not a rule ID" in findings[1]["message"]
    assert code == 0  # info does not fail the default --fail-on warning


def test_a_suppression_of_a_rule_that_did_not_run_is_not_idle(tmp_path: Path) -> None:
    """A live rule under --offline, a cross-node rule for a node checked alone: their
    suppressions may be needed on the next run (on the node, with the other node), so they
    are not "suppressing nothing" — else an --offline pre-commit run fails on valid ones."""
    hacf = "# halint: ignore[HL503] migrating\n" + GOOD_HACF.replace(
        "node node1", "# halint: ignore[HL110] nothing here\nnode node1"
    )
    node = make_node(
        tmp_path / "ha.d",
        hacf=hacf,
        authkeys="# halint: ignore[HL601, HL6]\n" + "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
    )
    findings = json.loads(run("check", "--offline", "--format", "json", str(node))[1])["findings"]
    idle = [(f["path"].rsplit("/", 1)[1], f["rule"]) for f in findings]
    assert idle == [("ha.cf", "HL404")]  # HL110 runs offline, on one node: it is idle
    assert "raises HL110" in findings[0]["message"]


def test_suppressing_a_cross_node_finding(tmp_path: Path) -> None:
    from tests.test_cluster_cli import two_nodes

    root = two_nodes(
        tmp_path,
        authkeys="auth 1\n# halint: ignore[HL501] rotating keys\n1 sha1 ffffffffffffffffffff99\n",
    )
    assert "HL501" not in check_json(str(root))[1]

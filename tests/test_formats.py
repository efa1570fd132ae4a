"""--format sarif (valid SARIF 2.1.0, shaped for code scanning) and --format github."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from halint.cli import cli
from halint.findings import Finding, Related
from halint.report.github import annotation, escape_data, escape_property
from halint.report.github import render as render_github
from tests.conftest import shared_dir
from tests.test_cli import GOOD_HACF, make_node, run
from tests.test_cluster_cli import two_nodes


def sarif_schema() -> dict:
    shared = shared_dir()
    if shared is None:
        pytest.skip("the SARIF schema (../shared/schemas) is not beside this checkout")
    return json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text())


def test_sarif_is_valid_and_has_what_code_scanning_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema

    two_nodes(
        tmp_path,
        authkeys="auth 1\n1 sha1 0123456789abcdef0123\n",
        hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s"),
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "--offline", "--format", "sarif", "node1", "node2")
    assert code == 1
    document = json.loads(out)
    jsonschema.validate(document, sarif_schema())
    (run_,) = document["runs"]
    assert run_["automationDetails"]["id"] == "halint/check/"
    rules = {r["id"]: r for r in run_["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"] and rule["help"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run_["results"]
    assert {r["ruleId"] for r in results} == set(rules)
    for result in results:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
        assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    hl102 = next(r for r in results if r["ruleId"] == "HL102")
    assert hl102["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "node2/ha.cf"
    hl501 = next(r for r in results if r["ruleId"] == "HL501")
    assert hl501["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "node1/authkeys"
    )
    assert "0123456789abcdef0123" not in out


def test_sarif_with_no_findings_is_valid(tmp_path: Path) -> None:
    import jsonschema

    code, out, _ = run("check", "--offline", "--format", "sarif", str(make_node(tmp_path / "ha.d")))
    assert code == 0
    jsonschema.validate(json.loads(out), sarif_schema())


def finding(message: str, **extra: object) -> Finding:
    base = {
        "rule": "HL102",
        "name": "invalid-value",
        "severity": "error",
        "blocks_start": True,
        "path": "ha.d/ha.cf",
        "line": 3,
        "column": 10,
        "end_line": 3,
        "end_column": 13,
        "message": message,
    }
    return Finding.model_construct(**{**base, **extra})


def unescape(text: str) -> str:
    return (
        text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


@pytest.mark.parametrize(
    "message",
    [
        "deadtime `30s`: a, b: c",
        "100% sure: 50%25 is not %0A a newline",
        "line one\nline two\r\nline three",
        "commas, colons: and :: double",
    ],
)
def test_github_annotations_round_trip(message: str) -> None:
    line = annotation(finding(message))
    command, properties, data = line.split(" ", 1)[0], *line.split(" ", 1)[1].split("::", 1)
    assert command == "::error"
    assert "\n" not in line and "\r" not in line
    assert unescape(data) == message
    props = dict(p.split("=", 1) for p in properties.split(","))
    assert props == {
        "file": "ha.d/ha.cf",
        "line": "3",
        "col": "10",
        "endColumn": "13",
        "title": "HL102 invalid-value",
    }


def test_github_escapes_properties() -> None:
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    assert escape_data("a,b:c%d\r\ne") == "a,b:c%25d%0D%0Ae"
    line = annotation(finding("m", path="we,ird:dir/ha.cf"))
    assert "file=we%2Cird%3Adir/ha.cf," in line


def test_github_leaves_columns_out_of_multi_line_findings() -> None:
    line = annotation(finding("m", end_line=5, end_column=2))
    assert "col=" not in line and "endColumn=" not in line and "endLine=5" in line


def test_github_levels_related_and_the_closing_notice() -> None:
    many = [finding(f"problem {i}", line=i + 1) for i in range(12)]
    many.append(finding("note", severity="info", related=[Related(path="b/ha.cf", line=2)]))
    out = render_github(many).splitlines()
    assert sum(line.startswith("::error ") for line in out) == 12
    assert any(line.startswith("::notice file=") and "Also b/ha.cf:2" in line for line in out)
    assert out[-1].startswith("::notice title=halint::halint found 13 problems (12 errors)")


def test_github_is_the_default_inside_github_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s"))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run("check", "--offline", str(node))
    assert code == 1 and out.startswith("::error file=")
    _, out, _ = run("check", "--offline", "--format", "text", str(node))
    assert out.startswith(str(node))
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert os.environ.get("GITHUB_ACTIONS") is None


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("ucast eth0 192.168.0.2 — 心跳", "ucast eth0 192.168.0.2 — 心跳"),  # as it is
        ("a\tb", "a\tb"),
        ("bell\x07 esc\x1b[31m del\x7f", "bell\\x07 esc\\x1b[31m del\\x7f"),
        ("\ufeffnode n1", "<BOM>node n1"),
        ("byte \udcff here", "byte \\xff here"),
        ("two\nlines", "two\\x0alines"),
    ],
)
def test_text_reaches_the_terminal_printable(text: str, shown: str) -> None:
    """What the text report prints of a file's line: controls, a BOM and undecodable bytes
    escaped, everything else (other scripts too) as it is."""
    from halint.report import printable

    assert printable(text) == shown
    assert printable("two\r\nlines", keep_newlines=True) == "two\r\nlines"


# RFC 3986's characters of a URI reference (unreserved, reserved, and percent-escapes)
URI_REFERENCE = r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"


def test_sarif_locations_are_uri_references_and_stdin_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path with a blank or `#` is percent-encoded; standard input, which has no URI, is
    described instead (`<stdin>` is no URI reference)."""
    import re

    import jsonschema

    node = make_node(
        tmp_path / "web #1" / "ha.d", hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s")
    )
    monkeypatch.chdir(tmp_path)
    out = run("check", "--offline", "--format", "sarif", "web #1/ha.d")[1]
    document = json.loads(out)
    jsonschema.validate(document, sarif_schema())
    (location,) = document["runs"][0]["results"][0]["locations"]
    uri = location["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "web%20%231/ha.d/ha.cf" and re.match(URI_REFERENCE, uri)
    hacf = (node / "ha.cf").read_text()
    command = ["check", "--offline", "--kind", "ha.cf", "--format", "sarif", "-"]
    result = CliRunner().invoke(cli, command, input=hacf)
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema())
    for found in document["runs"][0]["results"]:
        artifact = found["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact == {"description": {"text": "<stdin>"}}


def test_every_result_of_a_multi_cluster_run_says_its_cluster(tmp_path: Path) -> None:
    """The cluster of each finding: `cluster` in JSON, a property in SARIF; and JSON's
    `notes` is there even when empty."""
    make_node(
        tmp_path / "ha" / "a" / "node1", hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s")
    )
    make_node(tmp_path / "ha" / "a" / "node2")
    other = GOOD_HACF.replace("node1", "db1").replace("node2", "db2")
    make_node(tmp_path / "ha" / "b" / "db1", hacf=other.replace("deadtime 30", "deadtime 30s"))
    make_node(tmp_path / "ha" / "b" / "db2", hacf=other)
    sarif = json.loads(run("check", "--offline", "--format", "sarif", str(tmp_path / "ha"))[1])
    clusters = {r["properties"].get("cluster") for r in sarif["runs"][0]["results"]}
    assert clusters == {"node1+node2", "db1+db2"}
    document = json.loads(run("check", "--offline", "--format", "json", str(tmp_path / "ha"))[1])
    assert {f["cluster"] for f in document["findings"]} == clusters
    clean = json.loads(
        run("check", "--offline", "--format", "json", str(make_node(tmp_path / "x")))[1]
    )
    assert isinstance(clean["notes"], list)

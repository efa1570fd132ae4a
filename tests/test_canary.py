"""No key ever reaches an output: canary keys in every position authkeys can hold one (and in
key-shaped lines of the other files, and in Heartbeat's own log lines), through every command
and format, offline and live. A canary is any text containing CANARY."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.outputs import check_runs, diagnose_runs, problems
from tests.test_cli import GOOD_HACF, GOOD_HARESOURCES, make_node

KEY = "CANARYc2f0a9e47b1d83a65e0c"
AUTHKEYS = {
    "the key": f"auth 1\n1 sha1 {KEY}\n",
    "the method": f"auth 1\n1 {KEY}\n",
    "glued to the method": f"auth 1\n1sha1{KEY}\n",
    "after U+3000": f"auth 1\n1 sha1\u3000{KEY}\n",
    "after a no-break space": f"auth 1\n1 sha1\u00a0{KEY}\n",
    "after a NUL byte": f"auth 1\n1 sha1\x00{KEY}\n",
    "after a tab, with a bracket": f"auth 1\n1\t{KEY}]x\n",
    "a word after the key": f"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c {KEY}\n",
    "with crc": f"auth 1\n1 crc {KEY}\n",
    "with a method in capitals": f"auth 1\n1 SHA1 {KEY}\n",
    "with md5": f"auth 1\n1 md5 {KEY}\n",
    "short and weak": "auth 1\n1 sha1 CANARY\n",
    "an unused key": f"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n2 md5 {KEY}\n",
    "before its auth line": f"1 sha1 {KEY}\nauth 1\n",
    "an index out of range": f"auth 1\n1 crc\n99 sha1 {KEY}\n",
    "after auth N": f"auth 1 {KEY}\n1 crc\n",
    "a line starting with a": f"auth 1\n1 crc\nalso {KEY}\n",
    "a line of junk": f"auth 1\n1 crc\n\x01\x02 {KEY}\n",
    "a commented-out key": f"auth 1\n1 crc\n#2 sha1 {KEY}\n",
    "a suppression comment": f"# halint: ignore[{KEY}]\nauth 1\n1 crc\n",
    "a file-ignore comment": f"# halint: file-ignore[HL205, {KEY}]\nauth 1\n1 crc\n",
}


@pytest.mark.parametrize("position", sorted(AUTHKEYS))
def test_check_never_shows_an_authkeys_canary(position: str, tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", authkeys=AUTHKEYS[position])
    runs = check_runs(node)
    assert not problems(runs), "\n".join(problems(runs))
    assert all(run.code in (0, 1) for run in runs)


@pytest.mark.parametrize("position", ["the key", "the method", "glued to the method"])
def test_key_lines_in_the_other_files_are_masked(position: str, tmp_path: Path) -> None:
    lines = AUTHKEYS[position]
    node = make_node(
        tmp_path / "ha.d", hacf=GOOD_HACF + lines, haresources=GOOD_HARESOURCES + lines
    )
    runs = check_runs(node)
    assert not problems(runs), "\n".join(problems(runs))


def test_cross_node_findings_show_fingerprints_only(tmp_path: Path) -> None:
    make_node(tmp_path / "cluster" / "node1", authkeys=f"auth 1\n1 sha1 {KEY}1\n")
    make_node(
        tmp_path / "cluster" / "node2",
        hacf=GOOD_HACF.replace("192.168.1.2", "192.168.1.1"),
        authkeys=f"auth 1\n1 sha1 {KEY}2\n",
    )
    runs = check_runs(tmp_path / "cluster")
    assert not problems(runs), "\n".join(problems(runs))
    assert any(f["rule"] == "HL501" for run in runs for f in run.findings)


def test_diagnose_never_shows_key_material_heartbeat_logged(tmp_path: Path) -> None:
    folder = FIXTURES / "logs" / "authkeys-canary"
    logs = [folder / "ha-log", folder / "pasted.log"]
    assert sum(KEY in log.read_text() or "CANARY" in log.read_text() for log in logs) == 2
    config = make_node(tmp_path / "ha.d", authkeys=AUTHKEYS["glued to the method"])
    runs = diagnose_runs(logs, config)
    assert not problems(runs), "\n".join(problems(runs))
    assert all(run.code == 1 for run in runs)

"""Inputs that must never crash halint or hang it: each gets a finding or a one-line error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import GOOD_AUTHKEYS, GOOD_HACF, GOOD_HARESOURCES, make_node


def halint(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess, so a hang or a traceback cannot hide."""
    return subprocess.run(
        [sys.executable, "-m", "halint", *args],
        capture_output=True,
        text=True,
        errors="replace",
        cwd=cwd,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def check_json(folder: Path) -> tuple[int, list[dict]]:
    result = halint("check", "--offline", "--format", "json", str(folder), cwd=folder.parent)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["findings"]


def write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


@pytest.fixture
def node(tmp_path: Path) -> Path:
    return make_node(tmp_path / "ha.d")


def test_binary_junk_everywhere(node: Path) -> None:
    junk = bytes(range(256)) * 40
    for name in ("ha.cf", "authkeys", "haresources"):
        write(node, name, junk)
    code, findings = check_json(node)
    assert code == 1
    assert {f["rule"] for f in findings} >= {"HL100", "HL200"}


def test_gbk_comments_and_a_bom_and_crlf(node: Path) -> None:
    gbk = "# 心跳配置\n".encode("gbk")
    write(node, "ha.cf", b"\xef\xbb\xbf" + gbk + GOOD_HACF.replace("\n", "\r\n").encode())
    write(node, "haresources", gbk + GOOD_HARESOURCES.encode())
    code, findings = check_json(node)
    # GBK bytes in comments cost nothing and CRLF is fine; but the BOM stays a word of its own
    # before the '#', and the daemon refuses it ("Illegal directive [\ufeff]", see the oracle).
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("HL101", str(node / "ha.cf"), 1)
    ]
    assert "byte-order mark" in findings[0]["message"]
    assert code == 1


def test_bom_before_a_directive_is_reported_as_heartbeat_sees_it(node: Path) -> None:
    write(node, "ha.cf", b"\xef\xbb\xbf" + GOOD_HACF.encode())
    _, findings = check_json(node)
    finding = findings[0]  # then HL403: the logfile line it swallowed is gone
    assert finding["rule"] == "HL101" and "byte-order mark" in finding["message"]
    assert (finding["line"], finding["column"]) == (1, 1)


def test_undecodable_bytes_in_a_directive_name(node: Path) -> None:
    write(node, "ha.cf", GOOD_HACF.encode() + b"\xc4\xe3de 1\n")
    _, findings = check_json(node)
    assert [f["rule"] for f in findings] == ["HL101"]


@pytest.mark.parametrize("name", ["ha.cf", "authkeys", "haresources"])
def test_a_fifo_where_a_file_should_be(node: Path, name: str) -> None:
    (node / name).unlink()
    os.mkfifo(node / name)
    _, findings = check_json(node)
    assert any(f["rule"] == "HL401" and "FIFO" in f["message"] for f in findings)


@pytest.mark.parametrize("name", ["ha.cf", "authkeys", "haresources"])
def test_a_folder_where_a_file_should_be(node: Path, name: str) -> None:
    (node / name).unlink()
    (node / name).mkdir()
    _, findings = check_json(node)
    assert any(f["rule"] == "HL401" and "folder" in f["message"] for f in findings)


def test_a_symlink_loop(node: Path) -> None:
    (node / "authkeys").unlink()
    (node / "authkeys").symlink_to(node / "loop")
    (node / "loop").symlink_to(node / "authkeys")
    _, findings = check_json(node)
    assert any(f["rule"] == "HL401" and "loop" in f["message"] for f in findings)


def test_a_half_megabyte_line(node: Path) -> None:
    write(node, "ha.cf", GOOD_HACF.encode() + b"node " + b"x" * 500_000 + b"\n")
    code, findings = check_json(node)
    assert code == 1
    assert any(f["rule"] == "HL100" and "5119 bytes" in f["message"] for f in findings)


def test_a_file_past_the_size_halint_reads_is_one_finding(node: Path) -> None:
    """A 5 MB line, a 200 MB file: halint reads 1 MiB, says so once, and reads no further."""
    write(node, "ha.cf", GOOD_HACF.encode() + b"node " + b"x" * 5_000_000 + b"\n")
    code, findings = check_json(node)
    assert code == 1
    (finding,) = [f for f in findings if f["rule"] == "HL100"]
    assert "larger than 1024 KiB" in finding["message"] and not finding["blocks_start"]


def test_a_hundred_thousand_lines(node: Path) -> None:
    write(node, "ha.cf", (GOOD_HACF + "# filler\nenv FILLER=1\n" * 45_000).encode())
    code, findings = check_json(node)
    assert code == 0 and findings == []


def test_empty_files(node: Path) -> None:
    for name in ("ha.cf", "authkeys", "haresources"):
        write(node, name, b"")
    _code, findings = check_json(node)
    assert "Traceback" not in json.dumps(findings)


def test_an_unreadable_file(node: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    os.chmod(node / "authkeys", 0)
    _, findings = check_json(node)
    assert any(f["rule"] == "HL401" for f in findings)


@pytest.mark.parametrize("make", ["missing", "fifo", "dangling"])
def test_bad_paths_on_the_command_line(tmp_path: Path, make: str) -> None:
    target = tmp_path / "thing"
    if make == "fifo":
        os.mkfifo(target)
    elif make == "dangling":
        target.symlink_to(tmp_path / "nowhere")
    result = halint("check", str(target), cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("halint: error: ")


def test_a_file_that_is_not_a_heartbeat_file(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello\n")
    result = halint("check", str(other), cwd=tmp_path)
    assert result.returncode == 2 and "not a Heartbeat file" in result.stderr


def test_text_output_survives_every_byte(node: Path) -> None:
    write(node, "ha.cf", bytes(range(1, 256)) + b"\n" + GOOD_HACF.encode())
    result = halint("check", "--offline", str(node), cwd=node.parent)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "HL100" in result.stdout or "HL101" in result.stdout


def test_authkeys_junk_never_shows_keys(node: Path) -> None:
    write(node, "authkeys", b"auth 1\n1 sha1 topsecretvalue\n\x00\x01 topsecretvalue\n")
    result = halint("check", "--offline", str(node), cwd=node.parent)
    assert "topsecretvalue" not in result.stdout + result.stderr


def test_good_authkeys_text_is_untouched(node: Path) -> None:
    assert (node / "authkeys").read_text() == GOOD_AUTHKEYS


def test_a_terminal_that_cannot_show_unicode(node: Path) -> None:
    write(node, "ha.cf", GOOD_HACF.encode() + "node\u3000web3\n".encode())
    result = subprocess.run(
        [sys.executable, "-m", "halint", "check", "--offline", str(node)],
        capture_output=True,
        cwd=node.parent,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    assert b"HL101" in result.stdout  # the character comes out escaped or as UTF-8 bytes

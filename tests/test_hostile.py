"""Inputs that must never crash halint or hang it: each gets a finding or a one-line error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import GOOD_AUTHKEYS, GOOD_HACF, GOOD_HARESOURCES, make_node


def halint(
    *args: str, cwd: Path, timeout: float = 60, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The real entry point in a subprocess, so a hang or a traceback cannot hide."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "halint", *args],
        capture_output=True,
        text=True,
        errors="replace",
        cwd=cwd,
        timeout=timeout,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )


def check_json(folder: Path, prefix: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    result = halint(
        "check", "--offline", "--format", "json", str(folder), cwd=folder.parent, prefix=prefix
    )
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


def test_a_twenty_kilobyte_line(node: Path) -> None:
    write(node, "ha.cf", GOOD_HACF.encode() + b"node " + b"x" * 20_000 + b"\n")
    code, findings = check_json(node)
    assert code == 1
    assert any(f["rule"] == "HL100" and "5119 bytes" in f["message"] for f in findings)


def test_a_file_past_the_size_halint_reads_is_one_finding(node: Path) -> None:
    """A 5 MB line, a 200 MB file: halint reads 32 KiB, says so once, and reads no further."""
    write(node, "ha.cf", GOOD_HACF.encode() + b"node " + b"x" * 5_000_000 + b"\n")
    code, findings = check_json(node)
    assert code == 1
    (finding,) = [f for f in findings if f["rule"] == "HL100"]
    assert "larger than 32 KiB" in finding["message"] and not finding["blocks_start"]


def test_thousands_of_lines_just_under_the_limit(node: Path) -> None:
    write(node, "ha.cf", (GOOD_HACF + "# filler\nenv FILLER=1\n" * 1_450).encode())
    assert 30_000 < (node / "ha.cf").stat().st_size < 32 * 1024
    code, findings = check_json(node)
    assert code == 0 and findings == []


def test_empty_files(node: Path) -> None:
    for name in ("ha.cf", "authkeys", "haresources"):
        write(node, name, b"")
    _code, findings = check_json(node)
    assert "Traceback" not in json.dumps(findings)


def unprivileged() -> tuple[str, ...]:
    """A command prefix under which a file of mode 000 cannot be read: none for a user; for
    root (CI), setpriv dropping the two capabilities that let root read every file. Skips
    where neither works."""
    if os.geteuid() != 0:
        return ()
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search")
    try:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("root reads every file, and setpriv cannot drop that here")
    if probe.returncode != 0:
        pytest.skip("root reads every file, and setpriv cannot drop that here")
    return prefix


def test_an_unreadable_file(node: Path) -> None:
    prefix = unprivileged()
    os.chmod(node / "authkeys", 0)
    _, findings = check_json(node, prefix)
    (finding,) = [f for f in findings if f["rule"] == "HL401"]
    assert finding["path"].endswith("authkeys") and "Permission denied" in finding["message"]


def test_an_unreadable_log(tmp_path: Path) -> None:
    prefix = unprivileged()
    log = tmp_path / "ha-log"
    log.write_text("Nov 24 21:00:36 node1 heartbeat: [3021]: WARN: node node2: is dead\n")
    os.chmod(log, 0)
    result = halint("diagnose", str(log), cwd=tmp_path, prefix=prefix)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"halint: error: {log}: cannot be read (Permission denied)"
    ]


def test_an_unreadable_folder(tmp_path: Path) -> None:
    """Told as halint's own one-line error, not click's usage text nor "no node here"."""
    prefix = unprivileged()
    folder = tmp_path / "ha.d"
    folder.mkdir()
    os.chmod(folder, 0)
    try:
        check = halint("check", str(folder), cwd=tmp_path, prefix=prefix)
        log = tmp_path / "ha-log"
        log.write_text("Nov 24 21:00:36 node1 heartbeat: [3021]: WARN: node node2: is dead\n")
        diagnose = halint("diagnose", "--ha-d", str(folder), str(log), cwd=tmp_path, prefix=prefix)
    finally:
        os.chmod(folder, 0o755)
    assert check.returncode == 2 and check.stdout == ""
    assert check.stderr.splitlines() == [
        f"halint: error: {folder}: cannot be read (Permission denied)"
    ]
    assert diagnose.returncode == 2 and diagnose.stdout == ""
    assert diagnose.stderr.splitlines() == [
        f"halint: error: --ha-d {folder}: cannot be read (Permission denied)"
    ]


@pytest.mark.parametrize("option", ["--config", "--context"])
def test_a_file_or_folder_where_the_other_belongs(node: Path, option: str) -> None:
    wrong = node if option == "--config" else node / "ha.cf"
    args = ["--kind", "ha.cf", "-"] if option == "--context" else [str(node)]
    result = halint("check", option, str(wrong), *args, cwd=node.parent)
    assert result.returncode == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("halint: error: ") and "Usage:" not in result.stderr


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


# --- Only regular files, read without blocking and within bounds ------------------------------


def test_hacf_linked_to_proc_self_environ_shows_no_environment(node: Path) -> None:
    """In CI a pull request could link ha.cf to /proc/self/environ and read the runner's
    secrets in the annotations: the kernel's files are never read."""
    (node / "ha.cf").unlink()
    (node / "ha.cf").symlink_to("/proc/self/environ")
    secret = "CANARY_ENVIRONMENT_VALUE_42"
    for mode in (["--offline"], ["--node", "node1"]):
        for form in ("text", "json", "github"):
            result = subprocess.run(
                [sys.executable, "-m", "halint", "check", *mode, "--format", form, str(node)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                env={**os.environ, "HALINT_SECRET": secret},
            )
            assert secret not in result.stdout + result.stderr
            assert "HALINT_SECRET" not in result.stdout + result.stderr
            assert result.returncode == 1 and "HL401" in result.stdout


def test_authkeys_linked_to_proc_kmsg_does_not_hang(node: Path) -> None:
    (node / "authkeys").unlink()
    (node / "authkeys").symlink_to("/proc/kmsg")
    for mode in ("--offline", "--node=node1"):
        result = halint("check", mode, "--format", "json", str(node), cwd=node.parent, timeout=30)
        assert result.returncode == 1, result.stderr
        (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "HL401"]
        assert "kernel" in finding["message"]


def test_a_device_where_a_file_should_be(node: Path) -> None:
    (node / "haresources").unlink()
    (node / "haresources").symlink_to("/dev/zero")
    _, findings = check_json(node)
    assert any(f["rule"] == "HL401" and "device" in f["message"] for f in findings)


def test_a_link_out_of_the_checked_folder_is_not_followed_offline(tmp_path: Path) -> None:
    """A checkout: what the link points to on this machine is not the node's file."""
    node = make_node(tmp_path / "repo" / "ha.d")
    real = make_node(tmp_path / "etc-ha.d", authkeys="auth 1\n1 sha1 CANARYoutsidekey0000\n")
    (node / "authkeys").unlink()
    (node / "authkeys").symlink_to(real / "authkeys")
    (node / "haresources").unlink()
    (node / "haresources").symlink_to("haresources.real")  # inside: followed
    (node / "haresources.real").write_text(GOOD_HARESOURCES)
    result = halint("check", "--offline", "--format", "json", str(node), cwd=tmp_path)
    assert "CANARY" not in result.stdout
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "HL401" and finding["path"].endswith("authkeys")
    assert "out of the checked folder" in finding["message"] and not finding["blocks_start"]


def test_two_hundred_thousand_node_lines_stop_at_heartbeats_limit(node: Path) -> None:
    write(node, "ha.cf", GOOD_HACF.encode() + b"node web\n" * 200_000)
    code, findings = check_json(node)
    assert code == 1
    (limit,) = [f for f in findings if f["rule"] == "HL107"]
    assert limit["line"] == len(GOOD_HACF.splitlines()) + 99  # node number 101
    assert "halint reads no further" in limit["message"] and limit["blocks_start"]
    assert len(findings) < 150  # one HL121 per duplicate up to the limit, then nothing


def test_a_200_megabyte_hacf_is_read_to_the_limit_once(node: Path) -> None:
    with open(node / "ha.cf", "wb") as handle:
        handle.write(GOOD_HACF.encode())
        handle.seek(200 * 1024 * 1024)  # a sparse file: NUL bytes to the end
        handle.write(b"\n")
    _, findings = check_json(node)
    assert [f["rule"] for f in findings if "larger than" in f["message"]] == ["HL100"]


def test_eighty_kilobytes_of_continuation_lines(node: Path) -> None:
    write(node, "haresources", b"node1 IPaddr::192.168.1.100/24/eth0 \\\n" + b"x \\\n" * 20_000)
    code, findings = check_json(node)
    assert code == 1
    assert [f["rule"] for f in findings if "larger than" in f["message"]] == ["HL300"]
    assert (
        sum(1 for f in findings if f["rule"] == "HL305") <= 101
    )  # shown once per rule, then summed


# --- The configuration file -------------------------------------------------------------------


def config_error(tmp_path: Path, *args: str) -> str:
    node = make_node(tmp_path / "ha.d")
    result = halint("check", "--offline", *args, str(node), cwd=tmp_path, timeout=30)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("halint: error: "), result.stderr
    return lines[0]


def test_a_config_file_nested_5000_deep(tmp_path: Path) -> None:
    (tmp_path / ".halint.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nested too deeply" in config_error(tmp_path)


def test_pyproject_whose_tool_is_not_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "halint"\n')
    assert "`tool` is not a table" in config_error(tmp_path, "--config", "pyproject.toml")


def test_an_invalid_pyproject_naming_halint_is_said(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.halint\noffline = true\n")
    assert "not valid TOML" in config_error(tmp_path)


def test_a_boolean_must_be_a_boolean(tmp_path: Path) -> None:
    (tmp_path / ".halint.toml").write_text('offline = "yes"\n')
    assert "offline: Input should be a valid boolean" in config_error(tmp_path)


def test_a_config_file_with_a_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / ".halint.toml").write_bytes(b'\xef\xbb\xbfignore = ["HL110"]\n')
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    result = halint("check", "--offline", str(node), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("target", ["fifo", "/dev/zero", "/proc/self/environ"])
def test_config_on_a_fifo_or_a_device(tmp_path: Path, target: str) -> None:
    if target == "fifo":
        os.mkfifo(tmp_path / "fifo")
    assert "not a" in config_error(tmp_path, "--config", target)


def test_a_per_path_glob_of_fifty_thousand_brackets(tmp_path: Path) -> None:
    (tmp_path / ".halint.toml").write_text(f'[per-path-ignores]\n"{"[" * 50_000}" = ["HL1"]\n')
    assert "a glob of 50000 characters" in config_error(tmp_path)


# --- The environment failing under halint -----------------------------------------------------


def run_main(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """The installed entry point (`halint.__main__:main`), as a console script runs it."""
    code = "import sys; from halint.__main__ import main; sys.argv[0] = 'halint'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output="stdout" not in kwargs,
        cwd=cwd,
        timeout=60,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def one_error_line(stderr: bytes) -> str:
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("halint: error: "), stderr.decode()
    return lines[0]


def test_stdout_on_dev_full(node: Path) -> None:
    with open("/dev/full", "w") as full:
        result = run_main(
            ["check", "--offline", str(node)], node.parent, stdout=full, stderr=subprocess.PIPE
        )
    assert result.returncode == 2
    assert "No space left on device" in one_error_line(result.stderr)


def test_stdout_closed(node: Path) -> None:
    result = subprocess.run(
        f"{sys.executable} -c 'from halint.cli import main; main()' check --offline {node} >&-",
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "standard output is closed" in one_error_line(result.stderr)


def test_a_reader_that_goes_away(node: Path) -> None:
    """`halint rules | head -1`: the pipe closes before the report is written."""
    result = subprocess.run(
        f"{sys.executable} -c 'from halint.cli import main; main()' rules | head -c 1",
        shell=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
        executable="/bin/bash",
    )
    assert "Traceback" not in result.stderr.decode()
    assert "Exception ignored" not in result.stderr.decode()


def test_the_working_folder_vanished(node: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    script = (
        f"import os; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r});"
        "import sys; sys.argv = ['halint', 'check', '--offline', 'ha.d'];"
        "from halint.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 2
    one_error_line(result.stderr)


def test_an_internal_error_with_halint_debug_still_exits_2(node: Path) -> None:
    """One line, exit 2, with or without HALINT_DEBUG; by default the error's own message is
    not shown (it may quote what was being read: a line of authkeys is a key)."""
    script = (
        "import sys, halint.engine as engine;"
        "engine.run_check = lambda *a, **k: int('CANARY_KEY');"
        "sys.argv = ['halint', 'check', '--offline', sys.argv[1]];"
        "from halint.cli import main; main()"
    )
    for debug in ("", "1"):
        env = {k: v for k, v in os.environ.items() if k != "HALINT_DEBUG"}
        if debug:
            env["HALINT_DEBUG"] = debug
        result = subprocess.run(
            [sys.executable, "-c", script, str(node)],
            capture_output=True,
            timeout=60,
            check=False,
            env=env,
        )
        stderr = result.stderr.decode()
        assert result.returncode == 2, stderr
        assert "halint: internal error: ValueError at halint/cli.py:" in stderr
        assert ("Traceback" in stderr) == bool(debug)
        if not debug:
            assert "CANARY" not in stderr and len(stderr.splitlines()) == 1


def test_a_corrupt_gzip_member_is_a_one_line_error(tmp_path: Path) -> None:
    import gzip

    data = bytearray(gzip.compress(b"Nov 24 21:00:23 node1 heartbeat: [1]: info: Link up.\n" * 500))
    for index in range(30, 60):  # inside the deflate stream: zlib.error, not OSError
        data[index] ^= 0xFF
    (tmp_path / "ha-log.gz").write_bytes(bytes(data))
    result = halint("diagnose", "ha-log.gz", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("halint: error: ha-log.gz: the log is damaged or truncated")
    assert result.stderr.count("\n") == 1


def test_a_resource_script_linked_out_of_a_checkout_is_not_read(tmp_path: Path) -> None:
    """resource.d/nginx pointing at a file of this machine: its text must not reach a report."""
    node = make_node(tmp_path / "repo" / "ha.d", haresources="node1 nginx\n")
    (node / "resource.d").mkdir()
    outside = tmp_path / "elsewhere"
    outside.write_text("#!/bin/sh\ncase $1 in start) exit 0;; esac  # CANARY_SCRIPT_TEXT\n")
    outside.chmod(0o755)
    (node / "resource.d" / "nginx").symlink_to(outside)
    result = halint("check", "--offline", "--format", "json", str(node), cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "CANARY" not in result.stdout + result.stderr
    (unread,) = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "HL319"]
    assert (
        "resource.d/nginx: a symbolic link out of the checked folder; the resource-script"
        in (unread["message"])
    )

"""`halint check --fix` and `--diff`: each certain fix, written atomically and byte for byte,
a second run that changes nothing, and a diff that writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from halint.cli import cli
from halint.engine import CheckRequest, run_check
from halint.fixing import fix_check, plan, unified_diff
from halint.hostfacts import HostFacts
from tests.test_cli import GOOD_HACF, make_node, run

SECRET = "c2f0a9e47b1d83a65e0c"


def host(**given: object) -> HostFacts:
    facts = HostFacts(node_name="node1", name_source="uname -n")
    facts.executables = {"/usr/libexec/heartbeat/ipfail"}
    facts.addresses = {"lo": ["127.0.0.1"], "eth0": ["192.168.1.1"], "eth1": ["10.0.0.1"]}
    facts.directories = {"/var/log"}
    for name, value in given.items():
        setattr(facts, name, value)
    return facts


def fix(folder: Path, live: bool = True) -> int:
    request = CheckRequest(paths=[str(folder)], host=host() if live else None, offline=not live)
    request.use_config = False
    return fix_check(request, write_files=True).fixed


def rules(folder: Path, live: bool = True) -> list[str]:
    request = CheckRequest(paths=[str(folder)], host=host() if live else None, offline=not live)
    request.use_config = False
    return [f.rule for f in run_check(request).findings()]


def test_authkeys_becomes_mode_600_and_its_bytes_stay(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d")
    os.chmod(node / "authkeys", 0o644)
    before = (node / "authkeys").read_bytes()
    assert "HL601" in rules(node)
    assert fix(node) == 1
    assert (node / "authkeys").stat().st_mode & 0o777 == 0o600
    assert (node / "authkeys").read_bytes() == before
    assert "HL601" not in rules(node)


def test_a_respawn_path_goes_where_this_host_has_the_program(tmp_path: Path) -> None:
    node = make_node(
        tmp_path / "ha.d", hacf=GOOD_HACF + "respawn hacluster /usr/lib64/heartbeat/ipfail\n"
    )
    assert fix(node) == 1
    assert "respawn hacluster /usr/libexec/heartbeat/ipfail\n" in (node / "ha.cf").read_text()
    assert "HL603" not in rules(node)


def test_a_respawn_program_this_host_lacks_is_not_guessed(tmp_path: Path) -> None:
    hacf = GOOD_HACF + "respawn hacluster /usr/lib64/heartbeat/dopd\n"
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    assert fix(node) == 0
    assert (node / "ha.cf").read_text() == hacf


def test_initdead_is_raised_to_twice_deadtime(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    assert fix(node, live=False) == 1
    assert "initdead 60\n" in (node / "ha.cf").read_text()
    assert "HL110" not in rules(node, live=False)


def test_a_time_in_seconds_loses_its_unit(tmp_path: Path) -> None:
    """Heartbeat refuses `deadtime 30s`; a bare number is already seconds."""
    hacf = GOOD_HACF.replace("deadtime 30", "deadtime 30s").replace("keepalive 2", "keepalive 2sec")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    assert fix(node, live=False) == 2
    assert (node / "ha.cf").read_text() == GOOD_HACF
    assert "HL102" not in rules(node, live=False)


@pytest.mark.parametrize("written", ["30m", "1min", "1h"])
def test_a_time_in_other_units_is_left_to_the_admin(tmp_path: Path, written: str) -> None:
    """`30m` may be minutes or a mistyped `30ms`: only the admin knows which."""
    hacf = GOOD_HACF.replace("deadtime 30", f"deadtime {written}")
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    assert fix(node, live=False) == 0
    assert (node / "ha.cf").read_text() == hacf
    assert "HL102" in rules(node, live=False)


def test_udp_becomes_bcast_and_nice_failback_its_auto_failback(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("auto_failback on\n", "nice_failback\ton\n") + "udp eth1\n"
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    assert fix(node, live=False) == 2
    text = (node / "ha.cf").read_text()
    assert "auto_failback\toff\n" in text  # nice_failback on = no failback; the tab is kept
    assert "bcast eth1\n" in text and "udp" not in text
    assert "HL105" not in rules(node, live=False)


def test_nice_failback_beside_auto_failback_is_left_to_the_admin(tmp_path: Path) -> None:
    hacf = GOOD_HACF + "nice_failback on\n"
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    fix(node, live=False)
    assert (node / "ha.cf").read_text() == hacf


@pytest.mark.parametrize(("before", "after"), [(0o644, 0o755), (0o600, 0o700), (0o640, 0o750)])
def test_a_resource_script_gets_its_execute_bit(tmp_path: Path, before: int, after: int) -> None:
    """The execute bit of whoever may read it: an owner-only script (one that holds a
    password) is never made readable by more people than before."""
    node = make_node(tmp_path / "ha.d", haresources="node1 web.sh\n")
    (node / "resource.d").mkdir()
    (node / "resource.d" / "web.sh").write_text("#!/bin/sh\n")
    os.chmod(node / "resource.d" / "web.sh", before)
    out = run("check", "--offline", str(node))[1]
    assert f"chmod {after:o} {node}/resource.d/web.sh" in out
    fix(node, live=False)
    assert (node / "resource.d" / "web.sh").stat().st_mode & 0o777 == after


def test_every_byte_outside_the_edit_is_kept(tmp_path: Path) -> None:
    """CRLF line ends, a GBK comment, a BOM-less file without its final newline, tabs."""
    raw = (
        b"# \xd0\xc4\xcc\xf8 (GBK)\r\nlogfile\t/var/log/ha-log\r\nkeepalive 2\r\ndeadtime 30\r\n"
        b"warntime 10\r\ninitdead 40\r\nucast eth0 192.168.1.2\r\nucast eth1 10.0.0.2\r\n"
        b"auto_failback on\r\nnode node1\r\nnode node2"
    )
    node = make_node(tmp_path / "ha.d")
    (node / "ha.cf").write_bytes(raw)
    assert fix(node, live=False) == 1
    assert (node / "ha.cf").read_bytes() == raw.replace(b"initdead 40", b"initdead 60")


def test_the_write_is_atomic_and_keeps_mode_owner_and_symlinks(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    real = node / "ha.cf.real"  # inside the checked folder: --offline follows no link out of it
    (node / "ha.cf").rename(real)
    (node / "ha.cf").symlink_to(real)
    os.chmod(real, 0o640)
    if os.geteuid() == 0:
        os.chown(real, 4321, 4322)
    inode = real.stat().st_ino
    assert fix(node, live=False) == 1
    assert (node / "ha.cf").is_symlink()
    st = real.stat()
    assert st.st_ino != inode  # a new file renamed over the old one
    assert st.st_mode & 0o777 == 0o640
    if os.geteuid() == 0:
        assert (st.st_uid, st.st_gid) == (4321, 4322)
    assert not [p for p in node.iterdir() if p.name.endswith(".halint")]


def test_a_second_fix_changes_nothing(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("initdead 60", "initdead 40") + "udp eth1\n"
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    os.chmod(node / "authkeys", 0o644)
    assert fix(node) == 3
    after = {
        p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in node.iterdir()
    }
    assert fix(node) == 0
    assert after == {
        p.name: (p.read_bytes(), p.stat().st_mode, p.stat().st_mtime_ns) for p in node.iterdir()
    }


@pytest.mark.parametrize(
    ("deadtime", "initdead", "fixed"),
    [
        ("deadtime 100s", "initdead 50", "deadtime 100\nwarntime 10\ninitdead 200\n"),
        ("deadtime 30", "initdead 10s", "deadtime 30\nwarntime 10\ninitdead 60\n"),
        ("deadtime 100s", "initdead 10s", "deadtime 100\nwarntime 10\ninitdead 200\n"),
    ],
)
def test_fixes_of_times_that_depend_on_each_other_end_in_one_run(
    tmp_path: Path, deadtime: str, initdead: str, fixed: str
) -> None:
    """initdead is raised from deadtime as HL102's fix writes it (never to 60 under a
    deadtime of 100, which Heartbeat refuses), and one --fix runs the rounds a fix that makes
    another possible needs: a second --fix changes nothing."""
    hacf = GOOD_HACF.replace("deadtime 30", deadtime).replace("initdead 60", initdead)
    node = make_node(tmp_path / "ha.d", hacf=hacf)
    out = run("check", "--offline", str(node))[1]
    assert "initdead is not set" not in out
    assert fix(node, live=False) >= 2
    assert fixed in (node / "ha.cf").read_text()
    assert fix(node, live=False) == 0 and rules(node, live=False) == []


def test_an_edit_whose_text_changed_since_it_was_read_is_skipped(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    request = CheckRequest(paths=[str(node)], offline=True, use_config=False)
    edits = [e for f in run_check(request).findings() for e in f.edits]
    (node / "ha.cf").write_text(GOOD_HACF.replace("initdead 60", "initdead 45"))
    (change,) = plan(edits)
    assert change.after is None and change.skipped == [
        f"{node / 'ha.cf'}:5: the text changed since it was read"
    ]


def test_diff_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    os.chmod(node / "authkeys", 0o644)
    before = {p.name: (p.read_bytes(), p.stat().st_mode) for p in node.iterdir()}
    code, out, _ = run("check", "--node", "node1", "--diff", str(node))
    assert code == 1
    assert f"--- {node / 'ha.cf'}\n+++ {node / 'ha.cf'}\n" in out
    assert "-initdead 40\n+initdead 60\n" in out
    assert "old mode 100644\nnew mode 100600\n" in out
    assert SECRET not in out
    assert before == {p.name: (p.read_bytes(), p.stat().st_mode) for p in node.iterdir()}
    code, out, _ = run("check", "--offline", "--diff", str(make_node(tmp_path / "clean")))
    assert (code, out) == (0, "")
    code, out, _ = run("check", "--node", "node1", "--diff", "--exit-zero", str(node))
    assert code == 0 and "+initdead 60\n" in out


def test_the_cli_reports_what_it_fixed_and_what_is_left(tmp_path: Path) -> None:
    node = make_node(
        tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40") + "kepalive 2\n"
    )
    code, out, _ = run("check", "--offline", str(node))
    assert "= fix [*]: write `initdead 60`" in out
    assert "[*] 1 of them fixable with `halint check --fix`" in out
    code, out, _ = run("check", "--offline", "--fix", str(node))
    assert out.startswith("Fixed 1 problem in 1 file; what is left:\n")
    assert "HL101" in out and "HL110" not in out
    assert code == 1


def test_diff_never_shows_a_key(tmp_path: Path) -> None:
    from halint.edits import Edit

    node = make_node(tmp_path / "ha.d")
    edit = Edit.replace(str(node / "authkeys"), 2, 3, "sha1", "md5")
    shown = unified_diff(plan([edit]))
    assert "-1 sha1 ****" in shown and "+1 md5 ****" in shown
    assert SECRET not in shown


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
def test_a_mode_change_in_the_diff_is_applied_by_patch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change of mode alone (HL304's execute bit) is a patch too: git's header names the
    file, and GNU patch sets the mode."""
    node = make_node(tmp_path / "ha.d", haresources="node1 web.sh\n")
    (node / "resource.d").mkdir()
    script = node / "resource.d" / "web.sh"
    script.write_text("#!/bin/sh\n")
    os.chmod(script, 0o644)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", "--offline", "--diff", "ha.d")
    assert code == 1 and out == (
        "diff --git ha.d/resource.d/web.sh ha.d/resource.d/web.sh\n"
        "old mode 100644\nnew mode 100755\n"
    )
    subprocess.run(["patch", "-p0", "--quiet"], input=out.encode(), check=True)
    assert script.stat().st_mode & 0o777 == 0o755


def test_diff_masks_every_secret_the_report_masks(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("initdead 60", "initdead 40") + f"# auth 1 sha1 {SECRET}\n"
    node = make_node(tmp_path / "ha.d", hacf=hacf, haresources="node1 db.sh\n")
    (node / "resource.d").mkdir()
    script = node / "resource.d" / "db.sh"
    script.write_bytes(
        b'#!/bin/sh\r\nMYSQL_PASSWORD=hunter2secret\r\ncase "$1" in\r\n  start) exit 0 ;;\r\n'
        b"  stop) exit 0 ;;\r\n  status) echo running ;;\r\n  *) exit 1 ;;\r\nesac\r\n"
    )
    os.chmod(script, 0o700)
    code, out, _ = run("check", "--offline", "--diff", str(node))
    assert code == 1
    assert "+MYSQL_PASSWORD=********\n" in out and "+initdead 60\n" in out
    assert "hunter2secret" not in out and SECRET not in out


@pytest.mark.skipif(shutil.which("patch") is None, reason="GNU patch is not installed")
def test_the_diff_is_a_patch_that_makes_what_fix_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CRLF line ends stay bytes and a last line without a newline is marked as diff(1) does,
    so `patch -p0` turns the files into exactly what `--fix` writes."""
    hacf = GOOD_HACF.replace("\n", "\r\n").replace("initdead 60\r\n", "")
    hacf += "node node3\r\ninitdead 45"
    fixed = make_node(tmp_path / "fixed" / "ha.d", hacf=hacf)
    patched = make_node(tmp_path / "patched" / "ha.d", hacf=hacf)
    fix(fixed, live=False)
    monkeypatch.chdir(patched.parent)
    result = CliRunner().invoke(cli, ["check", "--offline", "--diff", "ha.d"])
    diff = result.stdout_bytes  # .stdout would turn the CRLF into LF
    assert result.exit_code == 1 and b"\r\n-initdead 45\n\\ No newline at end of file\n" in diff
    subprocess.run(["patch", "-p0", "--quiet"], input=diff, cwd=patched.parent, check=True)
    assert (patched / "ha.cf").read_bytes() == (fixed / "ha.cf").read_bytes()
    assert (fixed / "ha.cf").read_bytes().endswith(b"node node3\r\ninitdead 60")


@pytest.mark.parametrize("stdin", ["-"])
def test_fix_refuses_standard_input(stdin: str) -> None:
    code, _, err = run("check", "--offline", "--kind", "ha.cf", "--fix", stdin)
    assert code == 2 and "standard input has none" in err


def test_a_resource_scripts_crlf_line_ends_become_lf(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", haresources="node1 web.sh\n")
    (node / "resource.d").mkdir()
    script = node / "resource.d" / "web.sh"
    body = b'#!/bin/sh\r\ncase "$1" in\r\n  start) exit 0 ;;\r\n  stop) exit 0 ;;\r\n'
    body += b"  status) echo running ;;\r\n  *) exit 1 ;;\r\nesac\r\n"
    script.write_bytes(body)
    os.chmod(script, 0o750)
    assert "HL315" in rules(node, live=False)
    fix(node, live=False)
    assert script.read_bytes() == body.replace(b"\r\n", b"\n")
    assert script.stat().st_mode & 0o777 == 0o750
    assert "HL315" not in rules(node, live=False)


def test_a_copied_ucast_target_gets_the_address_a_hosts_file_gives(tmp_path: Path) -> None:
    """The tutorial's step 4 forgotten: both nodes unicast to node2's address. A hosts file in
    the checkout says which address is whose, so node2's line gets node1's address."""
    make_node(tmp_path / "node1")
    make_node(tmp_path / "node2")  # ha.cf copied unchanged: ucast eth0 192.168.1.2 ...
    (tmp_path / "hosts").write_text("192.168.1.1 node1\n192.168.1.2 node2\n10.0.0.1 node1-b\n")
    before = (tmp_path / "node1" / "ha.cf").read_text()
    request = CheckRequest(paths=[str(tmp_path)], offline=True, use_config=False)
    assert "HL504" in [f.rule for f in run_check(request).findings()]
    outcome = fix_check(request, write_files=True)
    assert outcome.fixed >= 1
    assert "ucast eth0 192.168.1.1\n" in (tmp_path / "node2" / "ha.cf").read_text()
    assert (tmp_path / "node1" / "ha.cf").read_text() == before
    left = [f for f in run_check(request).findings() if f.rule == "HL504"]
    assert [f.message.split(" on ")[1][:4] for f in left] == ["eth1"]  # no hosts entry there


def test_without_a_hosts_file_the_copied_target_is_left_to_the_admin(tmp_path: Path) -> None:
    make_node(tmp_path / "node1")
    make_node(tmp_path / "node2")
    request = CheckRequest(paths=[str(tmp_path)], offline=True, use_config=False)
    assert not [f for f in run_check(request).findings() if f.rule == "HL504" and f.edits]

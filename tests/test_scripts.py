"""The resource-script reader: what it reads from real scripts, that it never runs or sources
them (strace), and that no script can crash or hang it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from halint.models import FileFacts
from halint.scripts import read_script
from tests.conftest import REPO
from tests.test_cli import run

TUTORIAL = REPO / "examples" / "tutorial" / "ha.d"
FACTS = FileFacts.model_construct(kind="file", mode=0o755)


def facts(text: str, name: str = "web.sh"):  # type: ignore[no-untyped-def]
    script, _ = read_script(name, f"/x/resource.d/{name}", text.encode(), FACTS)
    return script


def test_the_tutorial_script_reads_no_action() -> None:
    script = facts((TUTORIAL / "resource.d" / "nginx.sh").read_text(), "nginx.sh")
    assert script.readable and script.dispatch is None
    assert script.shebang == "#!/bin/bash"
    assert [s.text for s in script.services] == ["nginx"]


def test_dispatch_positions() -> None:
    assert facts('case "$1" in start) ;; stop) ;; status) ;; esac\n').dispatch.parameter == 1
    assert facts('A="$2"\ncase $A in start) ;; stop) ;; esac\n').dispatch.parameter == 2
    # chosen by the argument count (drbddisk's way), or the last argument: adapts
    adaptive = (
        'if [ "$#" -eq 2 ]; then CMD="$2"; else CMD="$1"; fi\ncase "$CMD" in start) ;; esac\n'
    )
    assert facts(adaptive).dispatch.adaptive
    assert facts('case "${!#}" in start) ;; stop) ;; esac\n').dispatch.adaptive
    # inside a function called with "$@", and by `if` comparisons
    function = 'main() { case "$1" in start) ;; stop) ;; esac; }\nmain "$@"\n'
    assert facts(function).dispatch.parameter == 1
    chain = 'if [ "$1" = start ]; then :; elif [ "$1" = "stop" ]; then :; fi\n'
    assert facts(chain).dispatch.kind == "if"
    # "$1" run as a command: the functions named after the actions
    call = 'start() { :; }\nstop() { :; }\nstatus() { echo running; }\n"$1"\n'
    script = facts(call)
    assert script.dispatch.kind == "call"
    assert [t.text for t in script.branches["status"].paths[0].printed] == ["running"]
    # ... or after a prefix: "do_$1" runs do_status
    script = facts(call.replace("() {", "_it() {").replace('"$1"', '"${1}_it"'))
    assert script.dispatch.kind == "call"
    assert [t.text for t in script.branches["status"].paths[0].printed] == ["running"]
    # the portable last argument, which HL311's fix recommends
    portable = 'eval action=\\${$#}\ncase "$action" in start) ;; stop) ;; esac\n'
    assert facts(portable).dispatch.adaptive
    # after a `shift`, $1 is the second argument; after a conditional one, it adapts
    shifted = 'PORT=$1\nshift\ncase "$1" in start) ;; stop) ;; esac\n'
    assert facts(shifted).dispatch.parameter == 2
    assert facts(shifted.replace("shift", "shift 2")).dispatch.parameter == 3
    assert facts(shifted.replace("shift", '[ "$1" = -v ] && shift')).dispatch.adaptive


def test_what_status_prints_on_each_way() -> None:
    text = (
        '#!/bin/sh\ncase "$1" in\n  status)\n'
        '    if pidof web >/dev/null; then echo "web is running"; else echo stopped >&2;'
        ' printf "%s\\n" "not running"; fi ;;\nesac\n'
    )
    branch = facts(text).branches["status"]
    printed = sorted(
        tuple((t.text, t.stream) for t in p.printed if t.stream != "null") for p in branch.paths
    )
    assert printed == [
        (("stopped", "stderr"), ("not running\n", "stdout")),
        (("web is running", "stdout"),),
    ]


def test_secrets_are_found_and_never_shown(tmp_path: Path) -> None:
    from tests.oracle.heartbeat import write_config

    folder = tmp_path / "ha.d"
    write_config(
        folder,
        {
            "ha.cf": b"logfile /var/log/ha-log\nucast eth0 10.0.0.2\nauto_failback on\n"
            b"node node1\nnode node2\n",
            "authkeys": b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
            "haresources": b"node1 db.sh\n",
        },
    )
    (folder / "resource.d").mkdir()
    script = folder / "resource.d" / "db.sh"
    script.write_text(
        "#!/bin/sh\nexport MYSQL_PWD=canary-one\nTOKEN='canary-two'\n"
        "mysqladmin -uroot -pcanary-three status\ncurl -u admin:canary-four http://x/\n"
        "ROOTPW=canary-five\nSNMPCOMMUNITY=canary-six\n"
        'case "$1" in start|stop) ;; status) echo running ;; esac\n'
    )
    script.chmod(0o755)
    for output in ("text", "json", "sarif"):
        _, out, _ = run("check", "--offline", "--format", output, str(folder))
        assert "canary" not in out, output
        assert "HL316" in out
    found = facts(script.read_text()).secrets
    assert {s.name for s in found} >= {"MYSQL_PWD", "TOKEN", "-p", "-u admin", "ROOTPW"}


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "binary program"),
        (b"#!/usr/bin/perl\nprint 'running';\n", "perl script"),
        (b"#!/bin/sh\n" + b"echo x\n" * 40_000, "larger than 256 KiB"),
        (b"#!/bin/sh\ncase $1 in (((( ;; esac esac }}} \xff\xfe\n", "could not be read"),
    ],
)
def test_a_script_it_cannot_read_is_said_so(content: bytes, why: str) -> None:
    script, _ = read_script("x", "/x", content, FACTS)
    assert not script.readable and script.why_unreadable
    assert why.split()[0] in script.why_unreadable or "syntax" in script.why_unreadable


def test_the_walk_is_bounded() -> None:
    """Branches that multiply the ways through a script stop at the budget, not in time."""
    import time

    ifs = "".join(f"if [ -f /x{i} ]; then echo a{i}; fi\n" for i in range(2000))
    text = f'#!/bin/sh\ncase "$1" in status) {ifs} ;; esac\n'
    started = time.perf_counter()
    branch = facts(text).branches["status"]
    assert not branch.complete  # too many ways: the rules say nothing about it
    assert time.perf_counter() - started < 5


def test_a_fifo_or_folder_in_resource_d_does_not_hang(tmp_path: Path) -> None:
    from tests.oracle.heartbeat import write_config

    folder = tmp_path / "ha.d"
    write_config(
        folder,
        {
            "ha.cf": b"ucast eth0 10.0.0.2\nnode node1\nnode node2\n",
            "authkeys": b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
            "haresources": b"node1 fifo.sh dir.sh\n",
        },
    )
    (folder / "resource.d").mkdir()
    os.mkfifo(folder / "resource.d" / "fifo.sh")
    (folder / "resource.d" / "dir.sh").mkdir()
    code, out, err = run("check", "--offline", str(folder))
    assert code in (0, 1), err
    assert "Traceback" not in out + err


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_scripts_are_read_never_run_or_sourced(tmp_path: Path) -> None:
    """Under strace -f: halint execs nothing at all, and the scripts are only opened to read."""
    ha_d = tmp_path / "ha.d"
    shutil.copytree(TUTORIAL, ha_d)
    canary = tmp_path / "ran"
    trap = f"#!/bin/sh\ntouch {canary}\n" + 'case "$1" in start) ;; stop) ;; status) ;; esac\n'
    for name in ("nginx.sh", "init.sh"):
        (ha_d / "resource.d" / name).write_text(trap)
        (ha_d / "resource.d" / name).chmod(0o755)
    (ha_d / "haresources").write_text("web1 192.168.137.200/24/eth0 nginx.sh init.sh\n")
    trace = tmp_path / "trace"
    command = [sys.executable, "-m", "halint", "check", "--node", "web1", str(ha_d)]
    subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=execve,execveat,openat", "-o", str(trace), *command],
        capture_output=True,
        timeout=120,
        check=False,
    )
    lines = trace.read_text().splitlines()
    execs = [line for line in lines if "execve" in line and "= -1" not in line]
    assert len(execs) == 1 and sys.executable.split("/")[-1] in execs[0]  # halint itself only
    opened = [line for line in lines if "resource.d/nginx.sh" in line and "openat" in line]
    assert opened and all("O_RDONLY" in line for line in opened)
    assert not canary.exists()


@pytest.mark.parametrize(
    "unit",
    [
        'case "$1" in start) echo a ;; stop) echo b ;; status) echo running ;; esac\n',
        "if [ -f /x ]; then echo a; else echo b; fi\n",
        "f() { echo x; }\nf\n",
    ],
)
def test_the_walk_grows_linearly(unit: str) -> None:
    """Statements walked for a script twice as long: at most about twice as many (counted)."""
    from halint.scripts import shell
    from halint.scripts.walk import Script

    def steps(count: int) -> int:
        data = ("#!/bin/sh\n" + unit * count).encode()
        script = Script(shell.parse(data).root_node, data, "/x")
        total = 0
        for action in ("start", "stop", "status"):
            script.branch(action)
            total += script._steps
        return total

    small, large = steps(200), steps(400)
    assert large <= 2.2 * small, (small, large)


def test_a_script_linked_into_proc_is_not_read(tmp_path: Path) -> None:
    from tests.oracle.heartbeat import write_config

    folder = tmp_path / "ha.d"
    write_config(
        folder,
        {
            "ha.cf": b"ucast eth0 10.0.0.2\nnode node1\nnode node2\n",
            "authkeys": b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
            "haresources": b"node1 env.sh\n",
        },
    )
    (folder / "resource.d").mkdir()
    (folder / "resource.d" / "env.sh").symlink_to("/proc/self/environ")
    code, out, err = run("check", "--offline", str(folder))
    assert code in (0, 1), err
    assert "PATH=" not in out and "HL319" in out


CHAIN = (
    '#!/bin/sh\nif [ "$1" = start ]; then\n  systemctl start web\n'
    'elif [ "$1" = status ]; then\n  echo running\n{rest}fi\n'
)


@pytest.mark.parametrize(
    ("rest", "said"),
    [
        ('else\n  echo "usage" >&2; exit 1\n', "`web.sh stop` goes to the `else` branch"),
        ("", "`web.sh stop` matches no branch"),
    ],
)
def test_an_if_chain_without_a_stop_says_where_stop_goes(
    tmp_path: Path, rest: str, said: str
) -> None:
    """An `if` chain on the action is a dispatch: its comparisons are its branches (only stop
    is missing), and its `else` is its catch-all."""
    from tests.test_cli import make_node

    node = make_node(tmp_path / "ha.d", haresources="node1 web.sh\n")
    (node / "resource.d").mkdir()
    (node / "resource.d" / "web.sh").write_text(CHAIN.format(rest=rest))
    os.chmod(node / "resource.d" / "web.sh", 0o755)
    out = run("check", "--offline", str(node))[1]
    assert out.count("HL314") == 1 and said in out


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("/usr/sbin/nginx\n", "`status` prints nothing Heartbeat reads as running"),
        (
            '/usr/sbin/nginx\necho "nginx running"\n',
            "`status` always says it runs (it prints `nginx running`): at a takeover "
            "ResourceManager takes web.sh for running already and never runs `web.sh start`",
        ),
        (
            "if pgrep nginx >/dev/null; then echo running; else /usr/sbin/nginx; fi\n",
            "`status` does what `start` does before it prints `running` or nothing",
        ),
    ],
    ids=["silent", "always-running", "depends"],
)
def test_a_script_that_ignores_its_action_is_told_by_what_status_prints(
    tmp_path: Path, body: str, said: str
) -> None:
    from tests.test_cli import make_node

    node = make_node(tmp_path / "ha.d", haresources="node1 web.sh\n")
    (node / "resource.d").mkdir()
    (node / "resource.d" / "web.sh").write_text("#!/bin/sh\n" + body)
    os.chmod(node / "resource.d" / "web.sh", 0o755)
    out = run("check", "--offline", str(node))[1]
    assert "HL310" in out and said in out
    assert ("ran on both nodes" in out) == (body == "/usr/sbin/nginx\n")


@pytest.mark.parametrize(
    ("given", "said"), [("::8080", "1 argument"), ("::8080::tls", "2 arguments")]
)
def test_hl311_counts_the_arguments_in_words(tmp_path: Path, given: str, said: str) -> None:
    from tests.test_cli import make_node

    node = make_node(tmp_path / "ha.d", haresources=f"node1 web.sh{given}\n")
    (node / "resource.d").mkdir()
    body = 'case "$1" in start) exit 0 ;; stop) exit 0 ;; status) echo running ;; esac\n'
    (node / "resource.d" / "web.sh").write_text("#!/bin/sh\n" + body)
    os.chmod(node / "resource.d" / "web.sh", 0o755)
    out = run("check", "--offline", str(node))[1]
    assert (
        f"gives it {said}: ResourceManager" in out and f"{said.replace(' ', ' `::` ')} here" in out
    )
    assert "(s)" not in out


def test_hl313_points_at_the_way_that_fails_when_stopped(tmp_path: Path) -> None:
    """The `exit 1` of the not-running branch, not a kill that runs only when the service does."""
    out = _check_script(
        tmp_path,
        '#!/bin/sh\ncase "$1" in\n  start) /usr/sbin/nginx ;;\n  stop)\n'
        "    if [ -f /run/nginx.pid ]; then\n      kill $(cat /run/nginx.pid)\n    else\n"
        '      echo "nginx is not running"\n      exit 1\n    fi\n    ;;\n'
        "  status) if [ -e /run/nginx.pid ]; then echo running; else echo stopped; fi ;;\nesac\n",
    )
    assert f"{tmp_path}/ha.d/resource.d/web.sh:9:7: error HL313" in out
    assert "(it exits 1 when the service is not running)" in out and "`kill" not in out


def test_a_comment_listing_exit_codes_is_no_key_line(tmp_path: Path) -> None:
    """`#   3 = not running` (an LSB script's list of status codes) reads like `N KEY` only at a
    glance: its words are not secrets, and the messages keep them."""
    out = _check_script(
        tmp_path,
        "#!/bin/sh\n# status codes:\n#   0 - service is running\n#   3 = not running\n"
        'case "$1" in\n  start) /usr/sbin/web ;;\n'
        '  stop) if ! pidof web >/dev/null; then echo "web is not running"; exit 1; fi\n'
        "    kill $(pidof web) ;;\n"
        "  status) if pidof web >/dev/null; then echo running; else echo stopped; fi ;;\nesac\n",
    )
    assert "(it exits 1 when the service is not running)" in out and "********" not in out


INIT_STYLE = """#!/bin/sh
{settings}
stop() {{
    if [ -f /run/web.pid ]; then
        kill $(cat /run/web.pid)
        rc=0
    else
        log_end_msg 1
        rc=7
    fi
    return
}}
case "$1" in
  start) /usr/sbin/web; rc=0 ;;
  stop) stop ;;
  status) if [ -f /run/web.pid ]; then echo running; else echo stopped; fi; rc=0 ;;
  destroy) $1 ;;
  *) exit 3 ;;
esac
exit $rc
"""


def test_an_init_style_script_is_followed_to_its_exit_code(tmp_path: Path) -> None:
    """A Debian-style init script: twelve settings tested first (ways that differ only in the
    tests they passed are one), the action a function called from the case (a `$1` call in
    another branch does not make it a call dispatch), the code kept in `rc` until `exit $rc`:
    its stop exits 7 when nothing runs, which HL313 tells."""
    settings = "\n".join(
        f"if [ -f /etc/default/web{i} ]; then . /etc/default/web{i}; fi" for i in range(12)
    )
    out = _check_script(tmp_path, INIT_STYLE.format(settings=settings), name="web")
    assert "error HL313 `web stop` fails when web is already stopped (it exits 7" in out


def _check_script(tmp_path: Path, text: str, name: str = "web.sh", given: str = "") -> str:
    """`halint check --offline` of a node whose haresources names one resource script."""
    from tests.test_cli import make_node

    node = make_node(tmp_path / "ha.d", haresources=f"node1 {name}{given}\n")
    (node / "resource.d").mkdir()
    (node / "resource.d" / name).write_text(text)
    os.chmod(node / "resource.d" / name, 0o755)
    return run("check", "--offline", str(node))[1]


def test_hl311_offers_the_arguments_a_script_reads_before_its_action(tmp_path: Path) -> None:
    """`case "$3"` with no `::` arguments: the script was written for two of them, so giving
    them in haresources is the first fix, reading the last argument the other."""
    out = _check_script(
        tmp_path,
        '#!/bin/sh\ncase "$3" in start) exit 0 ;; stop) exit 0 ;; status) echo running ;; esac\n',
    )
    assert (
        "fix: if web.sh needs 2 arguments before its action, give them in haresources "
        "(`web.sh::ARG::ARG`); else read the action from ${1}" in out
    )

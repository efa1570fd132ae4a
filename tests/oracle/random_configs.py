"""Random configurations put to the real Heartbeat 3.0.6 and to halint, to find what the
hand-written cases miss. Each found disagreement became a case in cases.py.

    python -m tests.oracle.random_configs [--seed N] [--count K] [--family NAME]

prints every configuration where halint's blocking findings disagree with the daemon's verdict,
or where the error line that explains a refusal maps (through HL701's reason table) to no
blocking finding. test_random_configs.py runs a fixed seed of each family in the suite.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.oracle.cases import BASE_AUTHKEYS, BASE_HACF, ETH0, SCRIPT, Case, hacf
from tests.oracle.heartbeat import Verdict

TIMES = ["", "0", "-1", "1", "2", "5", "10", "30", "60", "500ms", "2000ms", "2s", "1.5", "x", "1m"]
VALUES: dict[str, list[str]] = {
    "keepalive": TIMES,
    "deadtime": TIMES,
    "warntime": TIMES,
    "initdead": TIMES,
    "deadping": ["0", "5", "x", "40"],
    "udpport": ["0", "65536", "694x", "-1", "70000", "1", "695", ""],
    "baud": ["19200", "9600", "123", "abc", "0"],
    "auto_failback": ["on", "off", "legacy", "yes", "maybe", "true", "1", ""],
    "nice_failback": ["on", "off", "x"],
    "logfacility": ["local0", "daemon", "none", "bogus", "syslog", "LOCAL0", ""],
    "hopfudge": ["1", "x", "-1", "0"],
    "rtprio": ["1", "99", "100", "0", "x"],
    "realtime": ["on", "off", "x", "yes"],
    "debug": ["0", "1", "256", "x", "-1"],
    "msgfmt": ["classic", "netstring", "x"],
    "use_logd": ["yes", "no", "x"],
    "conn_logd_time": ["60", "x", "1s"],
    "coredumps": ["true", "x", "false"],
    "coreroot": ["/var/lib/heartbeat/cores", "/nonexistent", "rel"],
    "autojoin": ["none", "other", "any", "x"],
    "uuidfrom": ["file", "nodename", "x"],
    "compression": ["bz2", "zlib", "bogus"],
    "compression_threshold": ["2", "x", "0", "-5"],
    "traditional_compression": ["on", "yes", "x"],
    "max_rexmit_delay": ["250", "x", "0"],
    "memreserve": ["1000", "x", "-1"],
    "hbgenmethod": ["file", "time", "x"],
    "logfile": ["/var/log/ha-log", "/nonexistent/dir/log", "relative.log", "/dev/null"],
    "crm": ["on", "respawn", "off", "x", "yes", "off off"],
    "pacemaker": ["on", "off", "x"],
    "watchdog": ["/dev/watchdog", "/dev/null", "/nonexistent"],
    "env": ["A=1", "=1", "A", "A=1 B=2"],
}
LINES = [
    "ucast eth1 10.0.0.2",
    "ucast eth0 node2",
    "ucast eth0",
    "ucast eth0 192.168.1.1",
    "ucast6 eth0 fe80::2",
    "ucast6 eth0 ::1",
    "bcast eth0 eth1",
    "bcast eth9",
    "mcast eth0 239.0.0.1 694 1 0",
    "mcast eth0 239.0.0.1 694 300 0",
    "mcast eth0 10.0.0.1 694 1 0",
    "mcast eth0 239.0.0.1 694 1",
    "mcast6 eth0 ff02::1 694 1 0",
    "serial /dev/ttyS0",
    "serial /dev/nonexistent",
    "ping 10.0.0.1",
    "ping gw.example",
    "ping",
    "ping_group g 10.0.0.1",
    "ping_group g gw.example",
    "respawn hacluster /usr/lib/heartbeat/ipfail",
    "respawn hacluster /usr/libexec/heartbeat/ipfail",
    "respawn root /bin/true",
    "respawn hacluster",
    "apiauth foo uid=root",
    "apiauth foo gid=nogroup",
    "apiauth foo",
    "apiauth foo uid=bogus",
    "apiauth ipfail gid=haclient uid=hacluster",
    "apiauth foo uid=root uid=root",
    "stonith_host * null",
    "stonith_host node1 bogus_type",
    "stonith meatware",
    "stonith meatware /nonexistent",
    "node node3",
    "node",
    "node NODE2",
    "udp eth0",
    "bogusdirective 1",
]
AUTHKEYS = [
    "auth 1\n1 sha1 k1\n",
    "auth 1\n1 md5 k1\n",
    "auth 1\n1 crc\n",
    "auth 2\n1 sha1 k1\n",
    "auth 1\n1 sha1\n",
    "auth 1\n1 bogus k1\n",
    "auth\n1 sha1 k1\n",
    "1 sha1 k1\n",
    "auth 1\n1 SHA1 k1\n",
    "auth 1\n1 sha1 a b\n",
    "auth 1\r\n1 sha1 k\r\n",
    "auth 01\n1 sha1 k\n",
    "",
]
RESOURCES = [
    "IPaddr::192.168.1.100/24/eth0",
    "IPaddr::192.168.1.101",
    "IPaddr2::192.168.1.102/24/eth0:1",
    "IPaddr::192.168.1.100/33/eth0",
    "IPaddr::192.168.1.100/24/eth9",
    "IPaddr::192.168.1.300",
    "web.sh",
    "nosuch",
    "Delay::1::0",
    "Filesystem::/dev/sdb1::/data::ext4",
    "::",
]
INTERFACES = [
    (ETH0,),
    (ETH0, "eth1=10.0.0.1/24"),
    ("eth0",),
    ("eth1=10.0.0.1/24",),
    (),
]


def _value_line(rng: random.Random) -> str:
    directive = rng.choice(list(VALUES))
    return f"{directive} {rng.choice(VALUES[directive])}".rstrip()


def values(rng: random.Random, name: str) -> Case:
    """The baseline with one to three directives changed or added."""
    extra, replace = [], {}
    for _ in range(rng.randint(1, 3)):
        line = _value_line(rng) if rng.random() < 0.5 else rng.choice(LINES)
        directive = line.split()[0]
        if directive in ("keepalive", "deadtime", "warntime", "initdead", "logfile", "node"):
            replace[directive] = line
        else:
            extra.append(line)
    return Case(
        name,
        hacf(*extra, replace=replace),
        node=rng.choice(["node1"] * 5 + ["node2", "NODE1", "web1"]),
        interfaces=rng.choice(INTERFACES[:2] * 3 + INTERFACES[2:]),
    )


def lexical(rng: random.Random, name: str) -> Case:
    """The baseline's lines with tabs, trailing comments, CR, case, commas, '=' and such."""
    quirks: list[Callable[[str], str]] = [
        lambda line: "\t" + line,
        lambda line: line + "  # c",
        lambda line: line + "#c",
        lambda line: line.replace(" ", "\t", 1),
        lambda line: line + "\r",
        lambda line: line.upper(),
        lambda line: line.replace(" ", ",", 1),
        lambda line: "#" + line,
        lambda line: line + " extra",
        lambda line: line.replace(" ", "  =  ", 1),
        lambda line: line.replace(" ", "\u3000", 1),
        lambda line: line + "\\",
    ]
    lines = []
    for line in [*BASE_HACF, *(_value_line(rng) for _ in range(rng.randint(0, 2)))]:
        lines.append(rng.choice(quirks)(line) if rng.random() < 0.2 else line)
    newline = "\r\n" if rng.random() < 0.1 else "\n"
    data = (newline.join(lines) + newline).encode()
    return Case(name, b"\xef\xbb\xbf" + data if rng.random() < 0.05 else data)


def files(rng: random.Random, name: str) -> Case:
    """authkeys and haresources variants, resource scripts present or not, executable or not,
    on a host with or without Heartbeat's accounts."""
    owner = rng.choice(["node1", "node1", "node2", "NODE1", "node3"])
    haresources = owner + " " + " ".join(rng.sample(RESOURCES, rng.randint(1, 3))) + "\n"
    scripts = {"web.sh": SCRIPT} if rng.random() < 0.6 else {}
    extra = [rng.choice(LINES)] if rng.random() < 0.3 else []
    return Case(
        name,
        hacf(*extra),
        authkeys=(BASE_AUTHKEYS if rng.random() < 0.5 else rng.choice(AUTHKEYS)).encode(),
        haresources=haresources.encode(),
        authkeys_mode=rng.choice([0o600] * 6 + [0o400, 0o640, 0o644]),
        scripts=scripts,
        script_mode=rng.choice([0o755] * 4 + [0o644]),
        accounts=rng.random() < 0.85,
    )


def media(rng: random.Random, name: str) -> Case:
    """Timing values given several at once, media on present, absent and unaddressed
    interfaces, node lists written in several ways."""

    def times(directive: str) -> str:
        picked = [rng.choice(["1", "2", "5", "10", "30", "60", "2000ms", "0"]) for _ in range(3)]
        return f"{directive} " + rng.choice([" ", ","]).join(picked[: rng.randint(1, 3)])

    timings = ("keepalive", "deadtime", "warntime", "initdead")
    extra = [times(d) for d in timings if rng.random() < 0.8]
    extra += rng.sample([line for line in LINES if line.split()[0] in MEDIA], rng.randint(0, 3))
    extra.append(rng.choice(["node node1 node2", "node node1,node2", "node node1\nnode node2"]))
    drop = ("keepalive", "deadtime", "warntime", "initdead", "ucast", "node")
    return Case(name, hacf(*extra, drop=drop), interfaces=rng.choice(INTERFACES))


MEDIA = ("ucast", "ucast6", "bcast", "mcast", "mcast6", "serial", "ping", "ping_group")
FAMILIES: dict[str, Callable[[random.Random, str], Case]] = {
    "values": values,
    "lexical": lexical,
    "files": files,
    "media": media,
}


@dataclass
class Outcome:
    case: Case
    verdict: Verdict
    blocking: set[str]
    problem: str | None  # None: halint and the daemon agree


def put_to_both(case: Case) -> Outcome:
    from tests.oracle.test_differential import explaining_error, halint_findings, verdict_of

    verdict = verdict_of(case)
    with tempfile.TemporaryDirectory() as folder:
        blocking = {f.rule for f in halint_findings(case, Path(folder)) if f.blocks_start}
    problem = None
    if bool(blocking) != verdict.refused:
        said = "refused" if verdict.refused else "started"
        problem = f"Heartbeat {said} ({verdict.first_error()}); halint blocking: {blocking}"
    elif verdict.refused and not verdict.hung:
        said, rules = explaining_error(verdict)
        if not rules or not rules & blocking:
            problem = f"Heartbeat said {said!r} (rules {rules}); halint blocking: {blocking}"
    return Outcome(case, verdict, blocking, problem)


def generate(family: str, seed: int, count: int) -> list[Case]:
    rng = random.Random(f"{family}:{seed}")
    return [FAMILIES[family](rng, f"{family}-{seed}-{i}") for i in range(count)]


def run(cases: list[Case]) -> list[Outcome]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(put_to_both, cases))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=100, help="configurations per family")
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append")
    args = parser.parse_args()
    total = disagreements = 0
    for family in args.family or sorted(FAMILIES):
        for outcome in run(generate(family, args.seed, args.count)):
            total += 1
            if outcome.problem:
                disagreements += 1
                print(f"=== {outcome.case.name}: {outcome.problem}")
                print(outcome.case.hacf.decode("utf-8", "replace"))
                case = outcome.case
                print(f"authkeys {case.authkeys!r} haresources {case.haresources!r}")
                print(f"node {case.node} interfaces {case.interfaces}")
    print(f"{disagreements} disagreements in {total} configurations")


if __name__ == "__main__":
    main()

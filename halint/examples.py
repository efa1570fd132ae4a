"""Run a catalogue example: build a node in memory from the example's files and check it."""

from __future__ import annotations

from pathlib import Path

from halint.catalogue import Example
from halint.findings import Finding
from halint.hostfacts import HostFacts
from halint.models import FileFacts
from halint.node import FILE_KINDS, build_node
from halint.sources import SourceFile, from_bytes

BASELINE = {
    "ha.cf": (
        "logfile /var/log/ha-log\n"
        "keepalive 2\n"
        "deadtime 30\n"
        "warntime 10\n"
        "initdead 60\n"
        "udpport 694\n"
        "ucast eth0 192.168.1.2\n"
        "auto_failback on\n"
        "node node1\n"
        "node node2\n"
    ),
    "authkeys": "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n",
    "haresources": "node1 IPaddr::192.168.1.100/24/eth0 nginx\n",
}
EXAMPLE_DIR = "/etc/ha.d"
PEER_HACF = BASELINE["ha.cf"].replace("ucast eth0 192.168.1.2", "ucast eth0 192.168.1.1")
HOST_EXECUTABLES = ["/usr/libexec/heartbeat/ipfail", "/usr/libexec/heartbeat/dopd"]
# The heartbeat package's wrappers in resource.d and resource-agents' OCF agents behind them.
_AGENTS = ("IPaddr", "IPaddr2", "Filesystem", "IPsrcaddr", "IPv6addr", "SendArp", "apache")
HOST_AGENTS = [f"/etc/ha.d/resource.d/{a}" for a in _AGENTS] + [
    f"/usr/lib/ocf/resource.d/heartbeat/{a}" for a in _AGENTS
]
HOST_INTERFACES = {"lo": ["127.0.0.1"], "eth0": ["192.168.1.1"]}


def example_sources(
    example: Example, directory: str = EXAMPLE_DIR, baseline: dict[str, str] | None = None
) -> dict[str, SourceFile]:
    baseline = baseline or BASELINE
    texts = {
        "ha.cf": example.hacf,
        "authkeys": example.authkeys,
        "haresources": example.haresources,
    }
    sources: dict[str, SourceFile] = {}
    for kind in FILE_KINDS:
        path = f"{directory}/{kind}"
        if kind in example.missing:
            sources[kind] = SourceFile(
                kind=kind, path=path, facts=FileFacts.model_construct(kind="missing")
            )
            continue
        given = texts[kind]
        text = given if given is not None else baseline[kind]
        mode = (
            (example.authkeys_mode if example.authkeys_mode is not None else 0o600)
            if kind == "authkeys"
            else 0o644
        )
        facts = FileFacts.model_construct(
            kind="file", mode=mode, uid=0, gid=0, owner="root", group="root"
        )
        sources[kind] = from_bytes(kind, path, text.encode("utf-8", "surrogateescape"), facts)
    return sources


def run_example(example: Example, offline: bool = False) -> list[Finding]:
    """The example's findings, with the example's host facts (none when `offline`)."""
    from halint.engine import check_nodes

    if example.peer is not None:
        return _run_cluster_example(example, example.peer)
    if example.log is not None:
        return _run_log_example(example.log)
    sources = example_sources(example)
    scripts: dict[str, FileFacts] = {}
    texts: dict[str, bytes] = {}
    for name, script in example.scripts.items():
        mode = script if isinstance(script, int) else script.mode
        scripts[name] = FileFacts.model_construct(kind="file", mode=mode, uid=0, gid=0)
        if not isinstance(script, int):
            texts[name] = script.text.encode("utf-8", "surrogateescape")
    loaded = build_node(Path(EXAMPLE_DIR), sources, set(FILE_KINDS), scripts, texts)
    return check_nodes([loaded], None if offline else example_host(example))


def example_host(example: Example) -> HostFacts:
    host = HostFacts(node_name=example.node or "node1", name_source="uname -n")
    host.executables = set(
        example.executables if example.executables is not None else HOST_EXECUTABLES + HOST_AGENTS
    )
    host.files = {"/var/log", "/etc/ha.d", "/etc/ha.d/stonith.cfg"}
    host.directories = {"/var/log", "/etc/ha.d", "/var/lib/heartbeat/cores/root"}
    host.addresses = example.interfaces if example.interfaces is not None else HOST_INTERFACES
    if example.users is not None:
        host.users = set(example.users)
    if example.char_devices is not None:
        host.char_devices = set(example.char_devices)
    if example.host_files is not None:
        host.texts = dict(example.host_files)
    return host


def _run_cluster_example(example: Example, peer: Example) -> list[Finding]:
    """/cluster/node1 (the example), /cluster/node2 (its peer) and any other node folders,
    checked as one run: grouped into clusters and named as the command line would."""
    from halint.engine import check_nodes

    peer_baseline = {**BASELINE, "ha.cf": PEER_HACF}
    parts = [("node1", example, BASELINE), ("node2", peer, peer_baseline)]
    parts.extend((name, other, BASELINE) for name, other in sorted(example.others.items()))
    nodes = []
    for name, part, baseline in parts:
        directory = f"/cluster/{name}"
        sources = example_sources(part, directory, baseline)
        nodes.append(build_node(Path(directory), sources, set(FILE_KINDS), {}))
    return check_nodes(nodes, None)


def _run_log_example(log: str) -> list[Finding]:
    """Diagnose a log excerpt; each diagnosis comes back as a finding at its first evidence."""
    import io

    from halint.logs.diagnose import Diagnoser
    from halint.logs.digest import events_of

    diagnoser = Diagnoser()
    for event in events_of(io.BytesIO(log.encode()), "ha-log", 2026):
        diagnoser.feed(event)
    return [f for f in (d.as_finding() for d in diagnoser.finish()) if f is not None]

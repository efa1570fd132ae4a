"""Every reader and rule is linear in its input: each pathological shape is checked at two
sizes, one twice the other, and the work (Python lines run in halint, calls into everything
else: counted, not timed) may grow at most a little more than twice.

Once, 16,000 haresources continuation lines took 16 s and a file of 20,000 suppression comments
did not end: both were a search repeated for every line.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import halint
from halint.engine import check_nodes
from halint.hostfacts import HostFacts
from halint.node import FILE_KINDS, build_node
from halint.sources import MAX_READ_BYTES, from_bytes

HALINT = str(Path(halint.__file__).parent)
HACF = (
    b"logfile /var/log/ha-log\nkeepalive 2\ndeadtime 30\nwarntime 10\ninitdead 60\n"
    b"ucast eth0 192.168.1.2\nauto_failback on\nnode node1\nnode node2\n"
)
AUTHKEYS = b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
HARESOURCES = b"node1 IPaddr::192.168.1.100/24/eth0\n"
# Each shape: which file, and its bytes for a size n.
SHAPES: dict[str, tuple[str, Callable[[int], bytes]]] = {
    "haresources-continuation-lines": (
        "haresources",
        lambda n: b"node1 IPaddr::192.168.1.100/24/eth0 \\\n" + b"x \\\n" * n + b"y\n",
    ),
    "haresources-double-colon-chain": ("haresources", lambda n: b"node1 " + b"a::" * n + b"a\n"),
    "haresources-groups": (
        "haresources",
        lambda n: b"".join(
            b"node1 IPaddr::10.0.%d.%d r%d\n" % (i // 250, i % 250, i) for i in range(n)
        ),
    ),
    "haresources-suppressions-before-a-long-group": (
        "haresources",
        lambda n: b"# halint: ignore[HL303]\n" * n + b"node1 a \\\n" * n + b"b\n",
    ),
    "haresources-nested-suppressions": (
        "haresources",
        lambda n: b"node1 a \\\n" + b"# halint: ignore[HL303]\nb \\\n" * n + b"c\n",
    ),
    "hacf-distinct-lines": (
        "ha.cf",
        lambda n: HACF + b"".join(b"env A%d=1\n" % i for i in range(n)),
    ),
    "hacf-unknown-directives": (
        "ha.cf",
        lambda n: HACF + b"".join(b"x%d 1\n" % i for i in range(n)),
    ),
    "hacf-suppressions": ("ha.cf", lambda n: b"# halint: ignore[HL110]\n" * n + HACF),
    "hacf-repeated-settings": ("ha.cf", lambda n: HACF + b"keepalive 1\n" * n),
    "hacf-many-tokens": (
        "ha.cf",
        lambda n: (
            HACF
            + b"".join(
                b"env " + b",".join(b"v%d" % j for j in range(40)) + b"\n" for _ in range(n // 40)
            )
        ),
    ),
    "authkeys-key-lines": (
        "authkeys",
        lambda n: (
            b"auth 1\n" + b"".join(b"%d sha1 key%dabcdefabcdef\n" % (i % 16, i) for i in range(n))
        ),
    ),
    "authkeys-junk-lines": ("authkeys", lambda n: AUTHKEYS + b"\x01 junk junk\n" * n),
}
SIZE = 400


def operations(work: Callable[[], object]) -> int:
    """Lines run in halint's own code plus calls made into any other code (lark, pydantic,
    the standard library): a measure of work that does not depend on the machine's load."""
    count = 0

    def in_halint(frame: object, event: str, arg: object) -> object:
        nonlocal count
        count += 1
        return in_halint

    def anywhere(frame: object, event: str, arg: object) -> object:
        nonlocal count
        count += 1
        return in_halint if frame.f_code.co_filename.startswith(HALINT) else None  # type: ignore[attr-defined]

    previous = sys.gettrace()
    sys.settrace(anywhere)
    try:
        work()
    finally:
        sys.settrace(previous)
    return count


def check_with(kind: str, data: bytes, live: bool) -> Callable[[], object]:
    files = {"ha.cf": HACF, "authkeys": AUTHKEYS, "haresources": HARESOURCES, kind: data}
    assert len(data) < MAX_READ_BYTES, "a shape must stay under the read limit to be measured"

    def work() -> object:
        sources = {k: from_bytes(k, f"/etc/ha.d/{k}", files[k]) for k in FILE_KINDS}
        loaded = build_node(Path("/etc/ha.d"), sources, set(FILE_KINDS), {})
        return check_nodes([loaded], HostFacts(node_name="node1") if live else None)

    return work


@pytest.mark.parametrize("live", [False, True], ids=["offline", "live"])
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_twice_the_input_is_at_most_about_twice_the_work(shape: str, live: bool) -> None:
    kind, make = SHAPES[shape]
    check_with(kind, make(SIZE // 4), live)()  # grammar tables and caches built first
    small = operations(check_with(kind, make(SIZE), live))
    large = operations(check_with(kind, make(2 * SIZE), live))
    assert large / small < 2.3, f"{shape}: {small} operations, then {large} for twice the input"

"""Write the real daemon's log of refused starts whose authkeys hold a canary key in every shape
Heartbeat prints one: as the method, glued to it, after U+3000, after a tab, holding `]`, on a
line it cannot read. tests/fixtures/logs/authkeys-canary/ha-log is its output:

    sudo python -m tests.oracle.canary_logs tests/fixtures/logs/authkeys-canary/ha-log
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.oracle.cases import BASE_HARESOURCES, ETH0, hacf
from tests.oracle.heartbeat import judge, unavailable_reason

KEY = "CANARYc2f0a9e47b1d83a65e0c"
AUTHKEYS = {
    "method-missing": f"auth 1\n1 {KEY}\n",
    "method-glued": f"auth 1\n1sha1{KEY}\n",
    "fullwidth-space": f"auth 1\n1 sha1\u3000{KEY}\n",
    "tab-and-bracket": f"auth 1\n1\tCANARY]{KEY}\n",
    "unreadable-line": f"auth 1\n1 sha1 abcdefabcdefabcdef\n\x01 {KEY}\n",
    "bad-auth-line": f"authx {KEY}\nauth 1\n1 sha1 abcdefabcdefabcdef\n",
}


def canary_log() -> str:
    parts = []
    for authkeys in AUTHKEYS.values():
        files = {
            "ha.cf": hacf(),
            "authkeys": authkeys.encode(),
            "haresources": BASE_HARESOURCES.encode(),
        }
        verdict = judge(files, "node1", (ETH0,))
        parts.append(verdict.log)
    return "".join(parts)


if __name__ == "__main__":
    reason = unavailable_reason()
    if reason:
        sys.exit(f"cannot run the daemon: {reason}")
    target = Path(sys.argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(canary_log())

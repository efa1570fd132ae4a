"""Configurations judged by both halint and the real Heartbeat 3.0.6.

Each case is the baseline node (a valid two-node ucast cluster on eth0, checked as node1) with
one thing changed. The differential test asserts that halint reports a blocks_start finding
exactly when the daemon refuses to start.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BASE_HACF = [
    "logfile /var/log/ha-log",
    "keepalive 2",
    "deadtime 30",
    "warntime 10",
    "initdead 60",
    "udpport 694",
    "ucast eth0 192.168.1.2",
    "auto_failback on",
    "node node1",
    "node node2",
]
BASE_AUTHKEYS = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
BASE_HARESOURCES = "node1 IPaddr::192.168.1.100/24/eth0\n"
ETH0 = "eth0=192.168.1.1/24"


@dataclass(frozen=True)
class Case:
    name: str
    hacf: bytes
    authkeys: bytes = BASE_AUTHKEYS.encode()
    haresources: bytes | None = BASE_HARESOURCES.encode()
    node: str = "node1"
    interfaces: tuple[str, ...] = (ETH0,)
    authkeys_mode: int = 0o600
    scripts: dict[str, bytes] = field(default_factory=dict)

    def files(self) -> dict[str, bytes]:
        files = {"ha.cf": self.hacf, "authkeys": self.authkeys}
        if self.haresources is not None:
            files["haresources"] = self.haresources
        return files


def hacf(
    *extra: str,
    drop: tuple[str, ...] = (),
    replace: dict[str, str] | None = None,
    newline: str = "\n",
) -> bytes:
    """The baseline ha.cf without the `drop` directives, with `replace`d lines, plus `extra`."""
    lines = []
    for line in BASE_HACF:
        directive = line.split()[0]
        if directive in drop:
            continue
        lines.append((replace or {}).get(directive, line))
    lines.extend(extra)
    return (newline.join(lines) + newline).encode("utf-8", "surrogateescape")


def value(directive: str, text: str) -> Case:
    """`directive text` added to (or replacing) the baseline line."""
    name = f"{directive}={text or 'empty'}"
    line = f"{directive} {text}".rstrip()
    if any(b.split()[0] == directive for b in BASE_HACF):
        return Case(name, hacf(replace={directive: line}))
    return Case(name, hacf(line))


CASES: list[Case] = [
    Case("baseline", hacf()),
    # --- lexical quirks ------------------------------------------------------------------
    Case(
        "trailing-comments",
        hacf(replace={"keepalive": "keepalive 2 # seconds", "node": "node node1#first"}),
    ),
    Case("crlf", hacf(newline="\r\n")),
    Case("no-final-newline", hacf().rstrip(b"\n")),
    Case("bom", b"\xef\xbb\xbf" + hacf()),
    Case("bom-before-comment", b"\xef\xbb\xbf# heartbeat\n" + hacf()),
    Case("fullwidth-space", hacf(replace={"udpport": "udpport\u3000694"})),
    Case(
        "tabs-and-indent",
        hacf(replace={"keepalive": "\t  keepalive\t\t2", "deadtime": "   deadtime 30   "}),
    ),
    Case("nodes-comma-separated", hacf("node node1,node2 node3", drop=("node",))),
    Case("keepalive-comma-is-two-values", hacf(replace={"keepalive": "keepalive 1,5"})),
    Case("name-with-comma", hacf(replace={"node": "node,node1"})),
    Case("name-wrong-case", hacf(replace={"keepalive": "Keepalive 2"})),
    Case("trailing-backslash-is-a-value", hacf("node node2 \\")),
    Case("binary-junk-line", hacf("\x01\x02\x03\x7f junk")),
    Case("control-char-in-value", hacf(replace={"keepalive": "keepalive 2\x01"})),
    Case("blank-and-comment-lines", b"\n# a comment\n\n   # indented comment\n" + hacf()),
    Case("overlong-comment-line", hacf("#" + "x" * 6000)),
    Case("tutorial-prose", hacf("// the node names must match uname -n")),
    Case("undecodable-bytes-in-comment", hacf("# \udcc4\udce3\udcba\udcc3 gbk comment")),
    # --- unknown and unavailable directives ----------------------------------------------
    Case("typo", hacf(replace={"auto_failback": "auto_faliback on"})),
    Case("normalpoll", hacf("normalpoll on")),
    Case("hbaping", hacf("hbaping fc0")),
    Case("udp-alias", hacf("udp eth0")),
    # --- time values ---------------------------------------------------------------------
    value("keepalive", "500ms"),
    value("keepalive", "2s"),
    value("keepalive", "0"),
    value("keepalive", "1.5"),
    value("keepalive", ""),
    value("deadtime", "10 sec"),
    value("deadtime", "20000ms"),
    value("warntime", "0"),
    value("warntime", "5us"),
    value("initdead", "2min"),
    value("deadping", "30"),
    value("conn_logd_time", "0"),
    value("conn_logd_time", "30"),
    # --- integers ------------------------------------------------------------------------
    value("udpport", "70000"),
    value("udpport", "0"),
    value("udpport", "694abc"),
    value("udpport", "abc"),
    value("debug", "1"),
    value("debug", "300"),
    value("rtprio", "0"),
    value("rtprio", "50"),
    value("hopfudge", "300"),
    value("hopfudge", "2"),
    value("compression_threshold", "0"),
    value("compression_threshold", "4"),
    value("max_rexmit_delay", "0"),
    value("max_rexmit_delay", "500"),
    value("memreserve", "0"),
    value("memreserve", "8000"),
    value("baud", "19200"),
    value("baud", "12345"),
    # --- booleans and words --------------------------------------------------------------
    value("realtime", "on"),
    value("realtime", "maybe"),
    value("coredumps", "off"),
    value("traditional_compression", "maybe"),
    value("use_apphbd", "no"),
    value("log_badpack", "off"),
    value("syslogmsgfmt", "false"),
    value("record_config_changes", "maybe"),
    value("auto_failback", "maybe"),
    value("auto_failback", "Legacy"),
    value("auto_failback", "off"),
    value("logfacility", "local0"),
    value("logfacility", "local8"),
    value("logfacility", "LOCAL0"),
    value("hbgenmethod", "time"),
    value("hbgenmethod", "clock"),
    value("msgfmt", "netstring"),
    value("msgfmt", "xml"),
    value("compression", "bz2"),
    value("compression", "gzip"),
    value("uuidfrom", "nodename"),
    value("uuidfrom", "mac"),
    value("autojoin", "sometimes"),
    value("env", "STOPRETRYMAX=3"),
    value("env", "=3"),
    value("cluster", "webcluster"),
    value("quorum_server", "quorum.example"),
    value("pacemaker", "maybe"),
    value("crm", "off"),
    value("watchdog", "/dev/watchdog"),
    # --- media and whole-line directives -------------------------------------------------
    Case("ucast-missing-target", hacf(replace={"ucast": "ucast eth0"})),
    Case("ucast-bad-address", hacf(replace={"ucast": "ucast eth0 192.168.1.300"})),
    Case("ucast-self-and-peer", hacf("ucast eth0 192.168.1.1")),
    Case("bcast", hacf("bcast eth0", drop=("ucast",))),
    Case("bcast-no-interface", hacf("bcast")),
    Case("mcast-missing-fields", hacf("mcast eth0 239.0.0.1")),
    Case("ping-node", hacf("ping 192.168.1.254")),
    Case("ping-group-missing-host", hacf("ping_group gw")),
    Case("respawn-relative-path", hacf("respawn hacluster ipfail")),
    Case("respawn-missing-program", hacf("respawn hacluster")),
    Case(
        "respawn-debian-path",
        hacf("respawn hacluster /usr/libexec/heartbeat/ipfail", "apiauth ipfail uid=hacluster"),
    ),
    Case("apiauth-missing-lists", hacf("apiauth ipfail")),
    Case("apiauth-bad-list", hacf("apiauth ipfail users=hacluster")),
    Case("stonith-host-missing-type", hacf("stonith_host *")),
    # --- authkeys ------------------------------------------------------------------------
    Case("authkeys-capital-auth", hacf(), authkeys=b"Auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"),
    Case("authkeys-auth-glued", hacf(), authkeys=b"auth1\n1 sha1 c2f0a9e47b1d83a65e0c\n"),
    Case("authkeys-index-16", hacf(), authkeys=b"auth 16\n16 sha1 c2f0a9e47b1d83a65e0c\n"),
    Case("authkeys-index-0", hacf(), authkeys=b"auth 0\n0 sha1 c2f0a9e47b1d83a65e0c\n"),
    Case("authkeys-crlf", hacf(), authkeys=b"auth 1\r\n1 sha1 c2f0a9e47b1d83a65e0c\r\n"),
    Case(
        "authkeys-comments",
        hacf(),
        authkeys=b"# keys\n#auth 2\nauth 1\n  # old: 2 md5 x\n1 sha1 c2f0a9e47b1d83a65e0c\n",
    ),
    Case(
        "authkeys-trailing-text-after-key",
        hacf(),
        authkeys=b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c   # the shared key\n",
    ),
    Case("authkeys-prose", hacf(), authkeys=b"auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\nkey here\n"),
    Case("authkeys-bom", hacf(), authkeys=b"\xef\xbb\xbfauth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"),
    # --- haresources ---------------------------------------------------------------------
    Case(
        "haresources-continuation",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0 \\\n    Delay::1::0\n",
    ),
    Case("haresources-empty-part", hacf(), haresources=b"node1 IPaddr::::192.168.1.100/24/eth0\n"),
    Case(
        "haresources-comment-and-crlf",
        hacf(),
        haresources=b"# vip\r\nnode1 IPaddr::192.168.1.100/24/eth0 # web\r\n",
    ),
    Case(
        "haresources-dangling-backslash",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0 \\\n",
    ),
    Case("haresources-missing", hacf(), haresources=None),
    Case("haresources-missing-crm", hacf("crm on"), haresources=None),
]

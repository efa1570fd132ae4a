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
    script_mode: int = 0o755
    accounts: bool = True  # False: the host has no hacluster user and no haclient group
    ocf_agents: bool = True  # False: resource-agents' OCF agents are not installed
    # files of the host that the daemon does not read (boot links, saved firewall rules)
    host_files: tuple[tuple[str, str], ...] = ()

    def addresses(self) -> dict[str, list[str]]:
        """The interfaces the daemon's namespace has, as halint's host facts."""
        result: dict[str, list[str]] = {"lo": ["127.0.0.1"]}
        for spec in self.interfaces:
            name, _, address = spec.partition("=")
            result[name] = [address.split("/")[0]] if address else []
        return result

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


def keys(text: str) -> bytes:
    return text.encode()


AK = "c2f0a9e47b1d83a65e0c"
# 65 distinct ucast targets on eth0, and nine ping nodes (nodes and media both).
UCASTS = [f"ucast eth0 192.168.{2 + i // 250}.{1 + i % 250}" for i in range(65)]
PINGS_9 = "ping " + " ".join(f"10.1.0.{i}" for i in range(1, 10))
SCRIPT = b"#!/bin/sh\necho running\nexit 0\n"


def bad_script(rule_id: str, index: int = 0) -> tuple[bytes, dict[str, bytes]]:
    """The haresources and resource.d scripts of rules/<rule_id>.toml's bad example."""
    from halint.catalogue import ScriptExample, rule_doc

    example = rule_doc(rule_id).bad[index]
    assert example.haresources is not None
    scripts = {
        name: script.text.encode()
        for name, script in example.scripts.items()
        if isinstance(script, ScriptExample)
    }
    return example.haresources.encode(), scripts


def script_case(name: str, rule_id: str, index: int = 0) -> Case:
    haresources, scripts = bad_script(rule_id, index)
    return Case(name, hacf(), haresources=haresources, scripts=scripts)


WANTS = "/etc/systemd/system/multi-user.target.wants"
RULES_V4 = (
    "*filter\n:INPUT DROP [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n"
    "COMMIT\n"
)


def value(directive: str, text: str) -> Case:
    """`directive text` added to (or replacing) the baseline line."""
    name = f"{directive}={text or 'empty'}"
    line = f"{directive} {text}".rstrip()
    if any(b.split()[0] == directive for b in BASE_HACF):
        return Case(name, hacf(replace={directive: line}))
    return Case(name, hacf(line))


CASES: list[Case] = [
    # The resource scripts and the takeover (HL31x, HL617-HL622): Heartbeat starts on them all.
    script_case("script-action-wrong-position", "HL311"),
    script_case("script-status-never-running", "HL312"),
    script_case("script-stop-not-idempotent", "HL313"),
    script_case("script-stop-branch-missing", "HL314"),
    script_case("script-crlf", "HL315"),
    script_case("script-secret", "HL316"),
    script_case("script-python", "HL319"),
    Case(
        "vip-label-too-long",
        hacf(),
        haresources=b"node1 IPaddr2::192.168.1.100/24/eth0:frontendlabel1\n",
    ),
    Case("ping-node-is-vip", hacf("ping 192.168.1.100")),
    Case("vip-interface-missing", hacf(), haresources=b"node1 IPaddr2::192.168.1.100/24/ens33\n"),
    Case("vip-outside-subnets", hacf(), haresources=b"node1 10.9.9.9\n"),
    Case(
        "ocf-agents-missing",
        hacf(),
        haresources=b"node1 IPaddr2::192.168.1.100/24/eth0\n",
        ocf_agents=False,
    ),
    Case(
        "service-enabled-at-boot",
        hacf(),
        haresources=bad_script("HL620")[0],
        scripts=bad_script("HL620")[1],
        host_files=((f"{WANTS}/nginx.service", ""),),
    ),
    Case("watchdog-device-missing", hacf("watchdog /dev/halint-no-watchdog")),
    Case(
        "firewall-drops-heartbeat",
        hacf(),
        host_files=(
            ("/etc/iptables/rules.v4", RULES_V4),
            (f"{WANTS}/netfilter-persistent.service", ""),
        ),
    ),
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
    Case("mcast-missing-loop", hacf("mcast eth0 239.0.0.1 694 1")),
    # Observed: on an interface without an IPv4 address the mcast start hangs (no exit, no log).
    Case(
        "mcast-interface-without-address",
        hacf("mcast eth0 239.0.0.1 694 1 0", drop=("ucast",)),
        interfaces=("eth0",),
    ),
    Case("ucast-interface-without-address", hacf(), interfaces=("eth0",)),
    Case("mcast-missing-loop-and-interface", hacf("mcast eth1 239.0.0.1 694 1")),
    Case("ucast6-missing-interface", hacf("ucast6 eth1 fe80::1")),
    Case("ucast6-link-local", hacf("ucast6 eth0 fe80::2")),
    Case("ucast6-with-scope", hacf("ucast6 eth0 fe80::2%eth0")),
    Case("ucast6-loopback", hacf("ucast6 eth0 ::1")),
    Case("ucast6-unspecified", hacf("ucast6 eth0 ::")),
    Case("ucast6-multicast", hacf("ucast6 eth0 ff02::1")),
    Case("ucast6-ipv4", hacf("ucast6 eth0 192.168.1.2")),
    Case("ucast6-host-name", hacf("ucast6 eth0 node2")),
    Case("ucast6-brackets", hacf("ucast6 eth0 [fe80::2]")),
    Case("mcast6-missing-interface", hacf("mcast6 eth1 ff02::1 694 1 0")),
    Case("ping-node", hacf("ping 192.168.1.254")),
    Case("no-media-only-a-ping-node", hacf("ping 192.168.1.254", drop=("ucast",))),
    Case("no-media-only-a-ping-group", hacf("ping_group g 192.168.1.254", drop=("ucast",))),
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
    Case("stonith-type-without-file", hacf("stonith meatware")),
    Case("stonith-unknown-type-without-file", hacf("stonith baz")),
    Case("stonith-file-without-type", hacf("stonith /etc/ha.d/stonith.cfg")),
    Case("stonith-file-missing", hacf("stonith meatware /nonexistent/stonith.cfg")),
    Case("stonith-file-present", hacf("stonith null /etc/hostname")),
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
    # --- rule by rule (issue 3): every rule, each variant that may block -----------------
    Case("dup-deadtime", hacf("deadtime 20")),
    Case("dup-watchdog", hacf("watchdog /dev/watchdog", "watchdog /dev/watchdog")),
    Case("dup-baud", hacf("baud 19200", "baud 19200")),
    Case("dup-crm", hacf("crm off", "pacemaker off")),
    Case("crm-two-values-one-line", hacf("crm off off")),
    Case("crm-two-values-comma", hacf("crm off,off")),
    Case("pacemaker-equals-sign", hacf("pacemaker = off")),
    Case("watchdog-two-values-one-line", hacf("watchdog /dev/watchdog /dev/watchdog")),
    Case("baud-two-values-one-line", hacf("baud 19200,9600")),
    Case("keepalive-two-values-one-line", hacf(replace={"keepalive": "keepalive 1 2"})),
    Case("logfile-trailing-word", hacf(replace={"logfile": "logfile /var/log/ha-log extra"})),
    Case("dup-apiauth", hacf("apiauth ipfail uid=hacluster", "apiauth ipfail gid=haclient")),
    Case(
        "apiauth-collides-with-pacemaker",
        hacf("crm respawn", "apiauth stonith-ng uid=root"),
        haresources=None,
    ),
    Case("nice-failback-on", hacf("nice_failback on", drop=("auto_failback",))),
    Case("nice-failback-maybe", hacf("nice_failback maybe", drop=("auto_failback",))),
    Case("udpport-after-ucast", hacf("udpport 695", drop=("udpport",))),
    Case("initdead-under-twice-deadtime", hacf(replace={"initdead": "initdead 40"})),
    Case("initdead-under-deadtime", hacf(replace={"initdead": "initdead 20"})),
    Case(
        "initdead-unset-short-deadtime",
        hacf(
            replace={
                "keepalive": "keepalive 1",
                "deadtime": "deadtime 4",
                "warntime": "warntime 2",
            },
            drop=("initdead",),
        ),
    ),
    Case(
        "initdead-under-10s",
        hacf(
            replace={
                "keepalive": "keepalive 1",
                "deadtime": "deadtime 4",
                "warntime": "warntime 2",
                "initdead": "initdead 8",
            }
        ),
    ),
    Case(
        "deadtime-twice-keepalive",
        hacf(replace={"keepalive": "keepalive 5", "deadtime": "deadtime 10"}),
    ),
    Case("deadping-too-short", hacf("deadping 3")),
    Case("warntime-above-deadtime", hacf(replace={"warntime": "warntime 40"})),
    Case(
        "deadtime-short",
        hacf(
            replace={
                "keepalive": "keepalive 1",
                "deadtime": "deadtime 5",
                "warntime": "warntime 3",
                "initdead": "initdead 30",
            }
        ),
    ),
    Case("no-nodes", hacf(drop=("node",))),
    Case("only-ping-nodes", hacf("ping 192.168.1.254", drop=("node",))),
    Case("duplicate-node", hacf("node node2")),
    Case("placeholder-node", hacf("node node1_hostname")),
    Case("deadping-without-ping", hacf("deadping 30")),
    Case(
        "ipfail-with-crm",
        hacf("crm on", "ping 192.168.1.254", "respawn hacluster /usr/libexec/heartbeat/ipfail"),
        haresources=None,
    ),
    Case("bcast-two-interfaces", hacf("bcast eth0 eth1"), interfaces=(ETH0, "eth1=10.0.0.1/24")),
    Case("baud-invalid-after-serial", hacf("serial /dev/ttyS0", "baud 19201")),
    Case("note-after-node", hacf(replace={"node": "node node1 // the primary"})),
    Case("note-after-keepalive", hacf(replace={"keepalive": "keepalive 2 // seconds"})),
    Case("note-after-bcast", hacf("bcast eth0 // the lan")),
    Case("note-after-ucast", hacf(replace={"ucast": "ucast eth0 192.168.1.2 // the peer"})),
    Case("note-after-respawn", hacf("respawn hacluster /usr/libexec/heartbeat/ipfail // why")),
    Case("placeholder-ucast-blanks", hacf(replace={"ucast": "ucast eth0 <backup node ip>"})),
    Case("placeholder-ucast-digits", hacf(replace={"ucast": "ucast eth0 172.16.1.21x"})),
    Case("no-media", hacf(drop=("ucast",))),
    Case("mcast-not-multicast", hacf("mcast eth0 192.168.1.255 694 1 0", drop=("ucast",))),
    Case("mcast-bad-ttl", hacf("mcast eth0 239.0.0.1 694 8 0", drop=("ucast",))),
    Case("mcast-bad-loop", hacf("mcast eth0 239.0.0.1 694 1 2", drop=("ucast",))),
    Case("auto-failback-unset", hacf(drop=("auto_failback",))),
    Case("ipfail-without-ping", hacf("respawn hacluster /usr/libexec/heartbeat/ipfail")),
    Case(
        "ipfail-as-root",
        hacf(
            "ping 192.168.1.254",
            "respawn root /usr/libexec/heartbeat/ipfail",
            "apiauth ipfail uid=root",
        ),
    ),
    Case("crm-on-with-haresources", hacf("crm on")),
    Case("authkeys-no-auth", hacf(), authkeys=keys(f"#auth 1\n1 sha1 {AK}\n")),
    Case("authkeys-auth-undefined", hacf(), authkeys=keys(f"auth 2\n1 sha1 {AK}\n")),
    Case("authkeys-auth-after-key", hacf(), authkeys=keys(f"1 sha1 {AK}\nauth 1\n")),
    Case("authkeys-sha256", hacf(), authkeys=keys(f"auth 1\n1 sha256 {AK}\n")),
    Case("authkeys-SHA1", hacf(), authkeys=keys(f"auth 1\n1 SHA1 {AK}\n")),
    Case("authkeys-sha1-no-key", hacf(), authkeys=keys("auth 1\n1 sha1\n")),
    Case("authkeys-crc", hacf(), authkeys=keys("auth 1\n1 crc\n")),
    Case("authkeys-md5", hacf(), authkeys=keys(f"auth 1\n1 md5 {AK}\n")),
    Case("authkeys-weak", hacf(), authkeys=keys("auth 1\n1 sha1 1a2b3c\n")),
    Case(
        "authkeys-key-with-blanks",
        hacf(),
        authkeys=keys("auth 1\n1 md5 (stdin)= 5d41402abc4b2a76\n"),
    ),
    Case("authkeys-unused-key", hacf(), authkeys=keys(f"auth 1\n1 sha1 {AK}\n2 md5 {AK}\n")),
    Case("authkeys-crc-comment", hacf(), authkeys=keys("auth 1\n1 crc # lab only\n")),
    Case("authkeys-crc-key", hacf(), authkeys=keys(f"auth 1\n1 crc {AK}\n")),
    Case("authkeys-unused-broken-key", hacf(), authkeys=keys(f"auth 1\n1 sha1 {AK}\n2 sha256 x\n")),
    Case("haresources-bad-node", hacf(), haresources=b"lisa IPaddr::192.168.1.100/24/eth0\n"),
    Case(
        "haresources-node-upper-case", hacf(), haresources=b"NODE1 IPaddr::192.168.1.100/24/eth0\n"
    ),
    Case(
        "haresources-fqdn-node",
        hacf(),
        haresources=b"node1.example.com IPaddr::192.168.1.100/24/eth0\n",
    ),
    Case(
        "haresources-ping-node-owner",
        hacf("ping 192.168.1.254"),
        haresources=b"192.168.1.254 Delay::1::0\n",
    ),
    Case(
        "haresources-second-line-bad",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0\nweb2 Delay::1::0\n",
    ),
    Case(
        "haresources-blank-after-backslash",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0 \\ \n    Delay::1::0\n",
    ),
    Case("haresources-bad-ip", hacf(), haresources=b"node1 IPaddr::192.168.1.300/24/eth0\n"),
    Case("haresources-unknown-script", hacf(), haresources=b"node1 Delay::1::0 nosuchscript\n"),
    Case(
        "haresources-script-not-executable",
        hacf(),
        haresources=b"node1 Delay::1::0 web.sh\n",
        scripts={"web.sh": SCRIPT},
        script_mode=0o644,
    ),
    Case(
        "haresources-script-executable",
        hacf(),
        haresources=b"node1 Delay::1::0 web.sh\n",
        scripts={"web.sh": SCRIPT},
    ),
    Case(
        "haresources-same-vip-twice",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0\nnode2 IPaddr::192.168.1.100/24/eth0\n",
    ),
    Case("haresources-empty", hacf(), haresources=b"# nothing yet\n"),
    Case("haresources-ipaddr-two-args", hacf(), haresources=b"node1 IPaddr::192.168.1.100::eth0\n"),
    Case("vip-on-other-interface", hacf(), haresources=b"node1 IPaddr::192.168.2.100/24/eth1\n"),
    Case("no-logging", hacf(drop=("logfile",))),
    Case("no-logging-use-logd-off", hacf("use_logd off", drop=("logfile",))),
    Case("no-logging-use-logd-on", hacf("use_logd on", drop=("logfile",))),
    # --- the live host: permissions, node names, programs, users, interfaces -------------
    Case("authkeys-644", hacf(), authkeys_mode=0o644),
    Case("authkeys-640", hacf(), authkeys_mode=0o640),
    Case("authkeys-604", hacf(), authkeys_mode=0o604),
    Case("authkeys-440", hacf(), authkeys_mode=0o440),
    Case("authkeys-400", hacf(), authkeys_mode=0o400),
    Case("authkeys-620", hacf(), authkeys_mode=0o620),
    Case("authkeys-700", hacf(), authkeys_mode=0o700),
    # nice_failback's conversion note is an ERROR line; the reason comes after it.
    Case("nice-failback-note-then-bad-mode", hacf("nice_failback off"), authkeys_mode=0o644),
    Case("node-name-not-declared", hacf(), node="web1"),
    Case("node-name-upper-case-host", hacf(), node="NODE1"),
    Case("node-name-upper-case-config", hacf(replace={"node": "node NODE1"}), node="node1"),
    Case("node-name-fqdn-host", hacf(), node="node1.example.com"),
    Case(
        "node-name-short-host-fqdn-config",
        hacf("node node1.example.com node2.example.com", drop=("node",)),
        node="node1",
        haresources=b"node1.example.com IPaddr::192.168.1.100/24/eth0\n",
    ),
    Case("node-name-is-a-ping-node", hacf("ping 192.168.1.254"), node="192.168.1.254"),
    Case(
        "no-nodes-only-a-ping-group",
        hacf("ping_group g 192.168.1.254", drop=("node",)),
        haresources=b"g IPaddr::192.168.1.100/24/eth0\n",
    ),
    Case("node-name-is-a-ping-group", hacf("ping_group g 192.168.1.254"), node="g"),
    Case("ping-node-is-the-peer-by-name", hacf("ping node2")),
    Case("ping-node-is-the-peer-by-address", hacf("ping 192.168.1.2")),
    Case("ping-group-holds-the-peer", hacf("ping_group g node2 192.168.1.254")),
    # A ping_group host that does not resolve is logged as an error, and the start goes on:
    # the refusal here is the boolean's.
    Case("ping-group-unresolvable-and-bad-boolean", hacf("ping_group g gw.example", "coredumps x")),
    Case("host-without-hacluster-accounts", hacf(), accounts=False),
    Case(
        "host-without-accounts-respawn-without-program",
        hacf("respawn hacluster"),
        accounts=False,
    ),
    Case("respawn-unknown-user-without-program", hacf("respawn nosuchuser")),
    Case("host-without-accounts-crm-on", hacf("crm on"), haresources=None, accounts=False),
    Case("host-with-accounts-crm-on", hacf("crm on"), haresources=None),
    # Without the accounts every start logs errors for the built-in apiauth entries; a refusal
    # for another reason must still be told by that other reason.
    Case("host-without-accounts-authkeys-644", hacf(), authkeys_mode=0o644, accounts=False),
    Case(
        "host-without-accounts-unknown-resource-owner",
        hacf(),
        haresources=b"node3 IPaddr::192.168.1.100/24/eth0\n",
        accounts=False,
    ),
    Case(
        "host-without-accounts-bad-deadtime",
        hacf(replace={"deadtime": "deadtime 10s"}),
        accounts=False,
    ),
    Case(
        "host-without-accounts-respawn-as-hacluster",
        hacf("ping 192.168.1.254", "respawn hacluster /usr/libexec/heartbeat/ipfail"),
        accounts=False,
    ),
    Case(
        "respawn-lib64-ipfail",
        hacf("ping 192.168.1.254", "respawn hacluster /usr/lib64/heartbeat/ipfail"),
    ),
    Case(
        "respawn-lib-ipfail",
        hacf("ping 192.168.1.254", "respawn hacluster /usr/lib/heartbeat/ipfail"),
    ),
    Case(
        "respawn-source-prefix",
        hacf("ping 192.168.1.254", "respawn hacluster /data/heartbeat/lib64/heartbeat/ipfail"),
    ),
    Case("respawn-not-executable-file", hacf("respawn hacluster /etc/hostname")),
    Case(
        "respawn-unknown-user",
        hacf("ping 192.168.1.254", "respawn nosuchuser /usr/libexec/heartbeat/ipfail"),
    ),
    Case(
        "respawn-numeric-user",
        hacf("ping 192.168.1.254", "respawn 0 /usr/libexec/heartbeat/ipfail"),
    ),
    Case("bcast-missing-interface", hacf("bcast ens33", drop=("ucast",))),
    Case("bcast-present-interface", hacf("bcast eth0", drop=("ucast",))),
    Case("ucast-missing-interface", hacf(replace={"ucast": "ucast ens33 192.168.1.2"})),
    Case("mcast-missing-interface", hacf("mcast ens33 239.0.0.1 694 1 0", drop=("ucast",))),
    Case("ucast-only-to-self", hacf(replace={"ucast": "ucast eth0 192.168.1.1"})),
    Case("two-interfaces", hacf("ucast eth1 10.0.0.2"), interfaces=(ETH0, "eth1=10.0.0.1/24")),
    Case(
        "interface-without-address-bcast", hacf("bcast eth0", drop=("ucast",)), interfaces=("eth0",)
    ),
    Case("logfile-folder-missing", hacf(replace={"logfile": "logfile /var/log/heartbeat/ha-log"})),
    Case("pacemaker-mode", hacf("crm on"), haresources=None),
    # --- suppression comments: Heartbeat must ignore every form halint supports ----------
    Case(
        "suppression-comments-everywhere",
        hacf(
            "# halint: file-ignore[HL131]",
            "# halint: ignore[HL110] boots fast",
            "initdead 40",
            drop=("initdead",),
        ),
        authkeys=keys(
            f"# halint: file-ignore[HL207]\nauth 1\n# halint: ignore[HL501] x\n1 sha1 {AK}\n"
        ),
        haresources=b"# halint: ignore[HL302] lab\nnode1 IPaddr::192.168.1.100/24/eth0\n",
    ),
    # --- autojoin and host names (the daemon resolves names at start; halint reads /etc/hosts)
    Case("autojoin-any-haresources", hacf("autojoin any")),
    Case("autojoin-other-haresources", hacf("autojoin other")),
    Case("autojoin-none", hacf("autojoin none")),
    Case("ucast-to-unknown-name", hacf(replace={"ucast": "ucast eth0 node2"})),
    Case("ucast-to-name-in-hosts", hacf("ucast eth0 localhost")),
    Case("ping-unknown-name", hacf("ping gateway")),
    Case("ping-group-unknown-member", hacf("ping_group gw 192.168.1.254 gateway")),
    # --- thrown at the daemon in review: serial ports, apiauth ids, STONITH, ping6 ----------
    Case("serial-missing-device", hacf("serial /dev/ttyS9")),
    Case("serial-relative-path", hacf("serial ttyS0")),
    Case("serial-present", hacf("serial /dev/ttyS0")),
    Case("apiauth-unknown-user", hacf("apiauth ipfail uid=nosuchuser")),
    Case("apiauth-unknown-group", hacf("apiauth ipfail gid=nosuchgroup")),
    Case("apiauth-numeric-uid", hacf("apiauth ipfail uid=0")),
    Case("stonith-host-no-parameters", hacf("stonith_host * meatware")),
    Case("stonith-host-unknown-type", hacf("stonith_host * nosuchstonith x")),
    Case("stonith-host-meatware", hacf("stonith_host * meatware node1 node2")),
    Case("stonith-host-other-node", hacf("stonith_host node2 nosuchstonith x")),
    Case("ping6-ipv4-address", hacf("ping6 192.168.1.254")),
    Case("coreroot-missing-folder", hacf("coreroot /nonexistent/cores")),
    Case("coreroot-relative", hacf("coreroot cores")),
    Case("coreroot-dot-dot", hacf("coreroot ../cores")),
    Case("coreroot-a-file", hacf("coreroot /etc/hostname")),
    Case(
        "authkeys-key-redefined",
        hacf(),
        authkeys=b"auth 1\n1 sha1 aaaaaaaaaaaaaaaaaaaa\n1 md5 bbbbbbbbbbbbbbbbbbbb\n",
    ),
    Case("apiauth-empty-uid-list", hacf("apiauth ipfail uid=")),
    Case("apiauth-two-uid-lists", hacf("apiauth ipfail uid=hacluster uid=root")),
    Case(
        "apiauth-client-too-long",
        hacf("apiauth averyveryverylongclientnamethatexceeds32chars uid=hacluster"),
    ),
    Case("env-without-value", hacf("env FOO")),
    Case(
        "authkeys-broken-then-good-line",
        hacf(),
        authkeys=b"auth 1\n1 sha1\n1 sha1 aaaaaaaaaaaaaaaaaaaa\n",
    ),
    Case("keepalive-leading-plus", hacf(replace={"keepalive": "keepalive +2"})),
    Case("deadtime-exponent", hacf(replace={"deadtime": "deadtime 1e3"})),
    Case("warntime-upper-case-unit", hacf(replace={"warntime": "warntime 5000MS"})),
    Case("nul-byte-in-a-value", hacf(replace={"keepalive": "keepalive 2\x00junk"})),
    Case("nul-byte-line", hacf("\x00garbage")),
    Case("cr-in-the-middle", hacf(replace={"keepalive": "keepalive 2\rjunk here"})),
    Case(
        "haresources-fullwidth-space",
        hacf(),
        haresources="node1\u3000IPaddr::192.168.1.100/24/eth0\n".encode(),
    ),
    Case(
        "haresources-owner-with-colon",
        hacf(),
        haresources=b"node1: IPaddr::192.168.1.100/24/eth0\n",
    ),
    Case("hacf-utf16", "keepalive 2\n".encode("utf-16") + hacf()),
    Case("hacf-line-of-5119-bytes", hacf("#" + "x" * 5118)),
    Case("hacf-line-of-5120-bytes", hacf("#" + "x" * 5119)),
    Case("crm-daemon-dir-in-haresources-mode", hacf("crm_daemon_dir /usr/lib/pacemaker")),
    Case("crm-daemon-dir-after-crm-off", hacf("crm off", "crm_daemon_dir /tmp")),
    Case("crm-daemon-dir-before-crm-off", hacf("crm_daemon_dir /tmp", "crm off")),
    Case("crmd-spawns-pengine-crm-off", hacf("crmd_spawns_pengine on")),
    Case("ucast-target-leading-zeros", hacf(replace={"ucast": "ucast eth0 192.168.001.002"})),
    Case("ucast-target-three-parts", hacf(replace={"ucast": "ucast eth0 192.168.1"})),
    Case("ucast-target-trailing-comma", hacf(replace={"ucast": "ucast eth0 192.168.1.2,"})),
    Case("mcast-group-leading-zero", hacf("mcast eth0 239.000.0.1 694 1 0", drop=("ucast",))),
    Case(
        "authkeys-later-auth-undefined",
        hacf(),
        authkeys=b"auth 1\n1 sha1 aaaaaaaaaaaaaaaaaaaa\nauth 2\n",
    ),
    Case(
        "haresources-continuation-then-bad-owner",
        hacf(),
        haresources=b"node1 Delay::1::0 \\\n  Delay::2::0\nlisa Delay::1::0\n",
    ),
    Case(
        "haresources-continuation-chain",
        hacf(),
        haresources=b"node1 Delay::1::0 \\\nnode9 \\\nnode8\nnode2 Delay::1::0\n",
    ),
    Case("haresources-owner-with-hash", hacf(), haresources=b"node1#x Delay::1::0\n"),
    Case("haresources-empty-file", hacf(), haresources=b""),
    Case("authkeys-tabs", hacf(), authkeys=b"auth\t1\n1\tsha1\taaaaaaaaaaaaaaaaaaaa\n"),
    Case("authkeys-crc-upper-case", hacf(), authkeys=b"auth 1\n1 CRC\n"),
    Case("authkeys-index-15", hacf(), authkeys=b"auth 15\n15 sha1 aaaaaaaaaaaaaaaaaaaa\n"),
    Case(
        "authkeys-line-starting-with-a",
        hacf(),
        authkeys=b"auth 1\n1 sha1 aaaaaaaaaaaaaaaaaaaa\nalso here\n",
    ),
    # --- Heartbeat's limits and absurd numbers (issue: hostile inputs) ---------------------
    Case("nodes-100", hacf(*[f"node n{i}" for i in range(98)])),
    Case("nodes-101", hacf(*[f"node n{i}" for i in range(99)])),
    Case("nodes-101-with-ping-nodes", hacf(*[f"node n{i}" for i in range(90)], PINGS_9)),
    Case("media-64-bcast", hacf(*["bcast eth0"] * 64, drop=("ucast",))),
    Case("media-65-bcast", hacf(*["bcast eth0"] * 65, drop=("ucast",))),
    Case("media-65-ping", hacf("ping " + " ".join(f"10.1.0.{i}" for i in range(1, 65)))),
    Case("media-64-ucast", hacf(*UCASTS[:63])),
    Case("media-65-ucast", hacf(*UCASTS[:64])),
    Case("media-66-ucast", hacf(*UCASTS[:65])),
    Case("deadtime-310-digits", hacf(replace={"deadtime": "deadtime " + "9" * 310})),
    Case("keepalive-20-digits", hacf(replace={"keepalive": "keepalive " + "9" * 20})),
    Case("initdead-20-digits", hacf(replace={"initdead": "initdead " + "9" * 20})),
    Case("udpport-20-digits", hacf(replace={"udpport": "udpport " + "9" * 20})),
    Case("udpport-5000-digits", hacf(replace={"udpport": "udpport " + "9" * 5000})),
    Case("udpport-wraps-to-694", hacf(replace={"udpport": "udpport 4294967990"})),
    Case("authkeys-auth-5000-digits", hacf(), authkeys=b"auth " + b"1" * 5000 + b"\n1 crc\n"),
    Case(
        "authkeys-index-5000-digits",
        hacf(),
        authkeys=b"auth 1\n1 crc\n" + b"1" * 5000 + b" sha1 aaaaaaaaaaaaaaaaaaaa\n",
    ),
    Case("authkeys-nul-between-method-and-key", hacf(), authkeys=b"auth 1\n1 sha1\x00aaaaaaaa\n"),
    Case(
        "authkeys-fullwidth-space-before-key",
        hacf(),
        authkeys="auth 1\n1 sha1\u3000aaaaaaaaaaaa\n".encode(),
    ),
    Case("authkeys-method-missing", hacf(), authkeys=b"auth 1\n1 aaaaaaaaaaaaaaaaaaaa\n"),
    Case("authkeys-method-glued", hacf(), authkeys=b"auth 1\n1sha1aaaaaaaaaaaaaaaaaaaa\n"),
    Case(
        "haresources-nul-in-a-resource",
        hacf(),
        haresources=b"node1 IPaddr::192.168.1.100/24/eth0 fo\x00o\n",
    ),
]

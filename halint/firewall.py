"""Saved firewall rules, read from the files the host loads at boot: do they drop Heartbeat's
UDP port?

The rules are read (iptables-save files, ufw, nftables.conf, firewalld zones), never asked of
the running kernel. A verdict is given only when it is certain: a DROP/REJECT (or a dropping
policy) that a heartbeat packet — UDP to the port, on the medium's interface, a new flow — meets
before any rule that could accept it. A rule halint cannot evaluate (a source address, a mark,
a set) that could accept the packet ends the search without a verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from halint.hostfacts import HostFacts

Match = Literal["yes", "no", "maybe"]
IPTABLES_FILES = (
    ("/etc/iptables/rules.v4", "netfilter-persistent"),
    ("/etc/sysconfig/iptables", "iptables"),
)
NFTABLES_FILES = ("/etc/nftables.conf", "/etc/sysconfig/nftables.conf")


@dataclass(slots=True)
class Block:
    path: str
    line: int
    text: str  # the rule as written
    how: str  # "iptables", "ufw", "nftables", "firewalld"


def heartbeat_blocked(host: HostFacts, port: int, interface: str | None) -> list[Block]:
    found: list[Block] = []
    for path, service in IPTABLES_FILES:
        text = host.read_text(path)
        if text is not None and host.enabled_at_boot(service):
            block = _iptables(text, path, port, interface, "INPUT")
            if block is not None:
                found.append(block)
    found.extend(_ufw(host, port, interface))
    if host.enabled_at_boot("nftables"):
        for path in NFTABLES_FILES:
            text = host.read_text(path)
            if text is not None:
                block = _nftables(text, path, port, interface)
                if block is not None:
                    found.append(block)
    found.extend(_firewalld(host, port, interface))
    return found


# --- iptables-save ------------------------------------------------------------------------


def _ports_match(spec: str, port: int) -> bool:
    for part in spec.split(","):
        if ":" in part:
            low, _, high = part.partition(":")
            if (
                (int(low or 0) if low.isdigit() or not low else -1)
                <= port
                <= (int(high) if high.isdigit() else 65535)
            ):
                return True
        elif part.isdigit() and int(part) == port:
            return True
    return False


def _iptables_rule(words: list[str], port: int, interface: str | None) -> tuple[Match, str]:
    """Whether a heartbeat packet matches this `-A CHAIN ...` rule, and its target."""
    target = ""
    match: Match = "yes"
    i = 2
    while i < len(words):
        word = words[i]
        value = words[i + 1] if i + 1 < len(words) else ""
        negated = False
        if word == "!":
            negated, word = True, value
            i += 1
            value = words[i + 1] if i + 1 < len(words) else ""
        if word in ("-j", "--jump", "-g", "--goto"):
            target = value
            i += 2
            continue
        if word in ("-p", "--protocol"):
            hit = value.lower() in ("udp", "17", "all")
            if hit == negated:
                return "no", target
        elif word in ("--dport", "--destination-port", "--dports", "--destination-ports"):
            hit = _ports_match(value, port)
            if hit == negated:
                return "no", target
        elif word in ("-i", "--in-interface"):
            if interface is None:
                match = "maybe"
            else:
                pattern = value[:-1] if value.endswith("+") else value
                hit = interface.startswith(pattern) if value.endswith("+") else interface == value
                if hit == negated:
                    return "no", target
        elif word in ("--state", "--ctstate"):
            hit = "NEW" in value.split(",")
            if hit == negated:
                return "no", target
        elif word in ("-m", "--match"):
            if value not in ("udp", "multiport", "comment", "state", "conntrack", "tcp"):
                match = "maybe"
        elif word in ("--comment",):
            pass
        elif word.startswith("-"):
            match = "maybe"  # a source, a mark, a set...
        i += 1 if word in ("--syn", "-f", "--fragment") else 2
    return match, target


def _iptables(
    text: str, path: str, port: int, interface: str | None, chain: str, depth: int = 0
) -> Block | None:
    table = None
    policies: dict[str, tuple[str, int, str]] = {}
    rules: dict[str, list[tuple[int, str, list[str]]]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("*"):
            table = line[1:]
        elif table == "filter" and line.startswith(":"):
            parts = line[1:].split()
            if len(parts) >= 2:
                policies[parts[0]] = (parts[1], number, line)
        elif table == "filter" and line.startswith("-A "):
            words = line.split()
            if len(words) >= 2:
                rules.setdefault(words[1], []).append((number, line, words))
    verdict = _walk_chain(rules, chain, port, interface, path, depth)
    if verdict == "accept" or verdict == "unknown":
        return None
    if isinstance(verdict, Block):
        return verdict
    policy, number, line = policies.get(chain, ("ACCEPT", 0, ""))
    if policy in ("DROP", "REJECT"):
        return Block(path, number, line, "iptables")
    return None


def _walk_chain(
    rules: dict[str, list[tuple[int, str, list[str]]]],
    chain: str,
    port: int,
    interface: str | None,
    path: str,
    depth: int,
) -> Block | Literal["accept", "unknown", "return"]:
    if depth > 8:
        return "unknown"
    for number, line, words in rules.get(chain, []):
        match, target = _iptables_rule(words, port, interface)
        if match == "no":
            continue
        if target in ("ACCEPT",):
            return "accept" if match == "yes" else "unknown"
        if target in ("DROP", "REJECT"):
            if match == "yes":
                return Block(path, number, line, "iptables")
            continue
        if target == "RETURN":
            if match == "yes":
                return "return"
            return "unknown"
        if target in rules:
            inner = _walk_chain(rules, target, port, interface, path, depth + 1)
            if inner == "return":
                continue
            if inner == "unknown" and match == "maybe":
                return "unknown"
            if match == "maybe" and isinstance(inner, Block):
                continue
            return inner
    return "return"


# --- ufw ----------------------------------------------------------------------------------


def _ufw(host: HostFacts, port: int, interface: str | None) -> list[Block]:
    conf = host.read_text("/etc/ufw/ufw.conf") or ""
    if not re.search(r"^\s*ENABLED\s*=\s*yes\b", conf, re.M | re.I):
        return []
    defaults = host.read_text("/etc/default/ufw") or ""
    policy = re.search(r'^\s*DEFAULT_INPUT_POLICY\s*=\s*"?(\w+)"?', defaults, re.M)
    if policy is None or policy.group(1).upper() not in ("DROP", "REJECT"):
        return []
    user = host.read_text("/etc/ufw/user.rules") or ""
    block = _iptables(user.replace("ufw-user-input", "INPUT"), "", port, interface, "INPUT")
    if block is None and _accepts(user, port, interface):
        return []
    number = defaults[: policy.start()].count("\n") + 1
    return [Block("/etc/default/ufw", number, policy.group(0).strip(), "ufw")]


def _accepts(iptables_text: str, port: int, interface: str | None) -> bool:
    for raw in iptables_text.splitlines():
        words = raw.split()
        if len(words) > 2 and words[0] == "-A":
            match, target = _iptables_rule(words, port, interface)
            if match != "no" and target == "ACCEPT":
                return True
    return False


# --- nftables -----------------------------------------------------------------------------

_NFT_PORTS = re.compile(r"\budp\s+dport\s+(\{[^}]*\}|\S+)")


def _nft_ports(spec: str, port: int) -> bool:
    values = spec.strip("{} ").replace(" ", "").split(",")
    return any(_ports_match(v.replace("-", ":"), port) for v in values)


def _nftables(text: str, path: str, port: int, interface: str | None) -> Block | None:
    lines = text.splitlines()
    in_input = False
    depth = 0
    policy_line: tuple[int, str] | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if re.match(r"^chain\s+\S+\s*\{", line):
            in_input = False
            depth = 1
            continue
        if depth and "type filter hook input" in line:
            in_input = True
            if re.search(r"policy\s+(drop|reject)", line):
                policy_line = (number, line)
            continue
        if not in_input:
            continue
        if line.startswith("}"):
            in_input = False
            continue
        verdict = "accept" if re.search(r"\baccept\b", line) else None
        if re.search(r"\b(drop|reject)\b", line):
            verdict = "drop"
        if verdict is None:
            continue
        condition = re.sub(r"\b(accept|drop|reject|counter|log.*)$", "", line).strip()
        ports = _NFT_PORTS.search(condition)
        rest = _NFT_PORTS.sub("", condition).strip()
        if ports is not None and not _nft_ports(ports.group(1), port):
            continue
        if re.search(r"\btcp\b|\bicmp\b|\bicmpv6\b", rest):
            continue
        if re.search(r"\bct state\b", rest):
            if "new" not in rest:
                continue
            rest = re.sub(r"ct state \S+", "", rest).strip()
        iif = re.search(r'\biif(?:name)?\s+"?([\w.:-]+)"?', rest)
        if iif is not None:
            if interface is not None and iif.group(1) != interface:
                continue
            rest = rest.replace(iif.group(0), "").strip()
        rest = re.sub(r"\bmeta l4proto (udp|\{[^}]*udp[^}]*\})|\bip protocol udp", "", rest).strip()
        certain = not rest
        if verdict == "accept":
            return None  # a rule that (maybe) accepts it first
        if certain:
            return Block(path, number, raw.strip(), "nftables")
    if policy_line is not None:
        return Block(path, policy_line[0], policy_line[1], "nftables")
    return None


# --- firewalld ----------------------------------------------------------------------------


def _firewalld(host: HostFacts, port: int, interface: str | None) -> list[Block]:
    if not host.enabled_at_boot("firewalld"):
        return []
    conf = host.read_text("/etc/firewalld/firewalld.conf") or ""
    default = re.search(r"^\s*DefaultZone\s*=\s*(\S+)", conf, re.M)
    zone = default.group(1) if default else "public"
    for name in host.list_dir("/etc/firewalld/zones"):
        zone_text = host.read_text(f"/etc/firewalld/zones/{name}") or ""
        if interface and re.search(rf'<interface\s+name="{re.escape(interface)}"', zone_text):
            zone = name.removesuffix(".xml")
    path = f"/etc/firewalld/zones/{zone}.xml"
    text = host.read_text(path)
    if text is None:
        path = f"/usr/lib/firewalld/zones/{zone}.xml"
        text = host.read_text(path)
    if text is None:
        return []
    target = re.search(r'<zone[^>]*\btarget="([^"]+)"', text)
    if target is not None and target.group(1).upper() == "ACCEPT":
        return []
    if "<rule" in text or "<source" in text:
        return []  # rich rules and sources: not evaluated
    ports = re.compile(
        r'<port\s+(?:protocol="(\w+)"\s+port="([^"]+)"|port="([^"]+)"\s+protocol="(\w+)")'
    )
    for match in ports.finditer(text):
        protocol = match.group(1) or match.group(4)
        spec = match.group(2) or match.group(3)
        if protocol == "udp" and _ports_match(spec.replace("-", ":"), port):
            return []
    for service in re.findall(r'<service\s+name="([^"]+)"', text):
        definition = host.read_text(f"/etc/firewalld/services/{service}.xml") or host.read_text(
            f"/usr/lib/firewalld/services/{service}.xml"
        )
        if definition is None:
            return []  # unknown service: no verdict
        for match in re.finditer(r'<port\s+protocol="udp"\s+port="([^"]+)"', definition):
            if _ports_match(match.group(1).replace("-", ":"), port):
                return []
    line = text[: text.find("<zone")].count("\n") + 1 if "<zone" in text else 1
    return [Block(path, line, f"firewalld zone {zone}", "firewalld")]

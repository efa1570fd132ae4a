"""What the machine says, asked lazily and handed to the rules as one object.

Rules never ask the OS: they ask a HostFacts. `LiveHost` reads this machine (each answer cached);
`GivenHost` answers from data (catalogue examples, tests, facts given on the command line).
`--node NAME` replaces the node name; `--offline` means no HostFacts at all, and the live rules
(HL6xx) are skipped.
"""

from __future__ import annotations

import os
import stat
from functools import cache

# Linux's limits on a path: a name of at most NAME_MAX bytes, a path under PATH_MAX with its NUL.
NAME_MAX = 255
PATH_MAX = 4096


def os_refuses(name: str) -> str | None:
    """Why the OS would refuse `name` (a path, a user or group name) outright, or None. This is
    the one way a configuration value meets the OS: the LiveHost answers "no such thing" for
    such a name instead of raising (ValueError: embedded null byte, ENAMETOOLONG)."""
    if "\x00" in name:
        return "a NUL byte"
    encoded = os.fsencode(name)
    if len(encoded) >= PATH_MAX:
        return f"longer than the {PATH_MAX - 1} bytes a path may have"
    if any(len(part) > NAME_MAX for part in encoded.split(b"/")):
        return f"a name longer than the {NAME_MAX} bytes the file system allows"
    return None


class HostFacts:
    """The facts rules may ask for. This base answers from data; LiveHost asks the OS."""

    def __init__(self, node_name: str, name_source: str = "uname -n") -> None:
        self.node_name = node_name
        self.name_source = name_source
        self.executables: set[str] = set()
        self.files: set[str] = set()
        self.users = {"root", "hacluster", "nobody"}
        self.groups = {"root", "haclient", "nogroup"}
        self.addresses: dict[str, list[str]] = {}  # interface -> IPv4 addresses
        self.host_names = {"localhost"}  # names /etc/hosts lists
        self.char_devices: set[str] = set()
        self.directories: set[str] = set()
        self.stonith = {"meatware", "null", "ssh", "external/ipmi"}
        # connected IPv4 networks: (interface, "network/prefix"), as the routing table lists them
        self.networks: list[tuple[str, str]] | None = None
        self.texts: dict[str, str] = {}  # other files of the host: path -> text

    def is_executable(self, path: str) -> bool:
        return path in self.executables

    def exists(self, path: str) -> bool:
        return path in self.files or path in self.executables

    def user_exists(self, name: str) -> bool:
        return name in self.users

    def group_exists(self, name: str) -> bool:
        return name in self.groups

    def interfaces(self) -> dict[str, list[str]]:
        return self.addresses

    def in_hosts_file(self, name: str) -> bool:
        """Whether /etc/hosts names this host (DNS is never asked: no network)."""
        return name.lower() in self.host_names

    def is_char_device(self, path: str) -> bool:
        return path in self.char_devices

    def is_dir(self, path: str) -> bool:
        return path in self.directories

    def stonith_types(self) -> set[str]:
        """The STONITH device types installed (cluster-glue's stonith2 and external plugins)."""
        return self.stonith

    def connected_networks(self) -> list[tuple[str, str]]:
        """(interface, network/prefix) of every network this host is directly on."""
        if self.networks is not None:
            return self.networks
        found: list[tuple[str, str]] = []
        for interface, addresses in self.interfaces().items():
            for address in addresses:
                if address.startswith("127."):
                    continue
                network = address.rsplit(".", 1)[0] + ".0/24"
                found.append((interface, network))
        return found

    def read_text(self, path: str) -> str | None:
        """A small configuration file of the host (saved firewall rules, ...), or None."""
        return self.texts.get(path)

    def list_dir(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/"
        names = {
            p[len(prefix) :].split("/", 1)[0]
            for p in (*self.texts, *self.files, *self.executables)
            if p.startswith(prefix)
        }
        return sorted(names)

    def enabled_at_boot(self, service: str) -> list[str]:
        """The links that start `service` at boot: systemd `*.wants/` links under
        /etc/systemd/system and SysV `rc?.d/S*` links (read, never asked of systemctl)."""
        found: list[str] = []
        base = "/etc/systemd/system"
        for folder in self.list_dir(base):
            if folder.endswith(".wants") and f"{service}.service" in self.list_dir(
                f"{base}/{folder}"
            ):
                found.append(f"{base}/{folder}/{service}.service")
        for level in "2345":
            folder = f"/etc/rc{level}.d"
            for name in self.list_dir(folder):
                if name.startswith("S") and name[1:3].isdigit() and name[3:] == service:
                    found.append(f"{folder}/{name}")
        return found


class LiveHost(HostFacts):
    """This machine, asked once per question."""

    def __init__(
        self, node_name: str, name_source: str, addresses: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(node_name=node_name, name_source=name_source)
        self._given_addresses = addresses

    def interfaces(self) -> dict[str, list[str]]:
        if self._given_addresses is not None:
            return self._given_addresses
        if not self.addresses:
            self.addresses = _read_interfaces()
        return self.addresses

    @cache  # noqa: B019 - one LiveHost per process
    def is_executable(self, path: str) -> bool:
        if os_refuses(path):
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        return stat.S_ISREG(st.st_mode) and bool(st.st_mode & 0o111)

    def in_hosts_file(self, name: str) -> bool:
        return name.lower() in _hosts_file_names()

    @cache  # noqa: B019
    def is_char_device(self, path: str) -> bool:
        if os_refuses(path):
            return False
        try:
            return stat.S_ISCHR(os.stat(path).st_mode)
        except OSError:
            return False

    @cache  # noqa: B019
    def is_dir(self, path: str) -> bool:
        return not os_refuses(path) and os.path.isdir(path)

    @cache  # noqa: B019
    def stonith_types(self) -> set[str]:
        found: set[str] = set()
        for lib in ("/usr/lib", "/usr/lib64"):
            base = f"{lib}/stonith/plugins"
            for name in _listdir(f"{base}/stonith2"):
                if name.endswith(".so"):
                    found.add(name[:-3])
            found.update(
                f"external/{name}"
                for name in _listdir(f"{base}/external")
                if not name.startswith((".", "__"))
            )
        return found

    @cache  # noqa: B019
    def exists(self, path: str) -> bool:
        return not os_refuses(path) and os.path.exists(path)

    def connected_networks(self) -> list[tuple[str, str]]:
        if self._given_addresses is not None:
            return HostFacts.connected_networks(self)  # the given interfaces (tests)
        if self.networks is None:
            self.networks = _read_routes()
        return self.networks

    @cache  # noqa: B019
    def read_text(self, path: str) -> str | None:
        return _read_small(path)

    @cache  # noqa: B019
    def list_dir(self, path: str) -> list[str]:
        return sorted(_listdir(path)[:10000])

    @cache  # noqa: B019
    def user_exists(self, name: str) -> bool:
        import pwd

        if os_refuses(name):
            return False
        try:
            pwd.getpwnam(name)
        except (KeyError, ValueError):
            return False
        return True

    @cache  # noqa: B019
    def group_exists(self, name: str) -> bool:
        import grp

        if os_refuses(name):
            return False
        try:
            grp.getgrnam(name)
        except (KeyError, ValueError):
            return False
        return True


@cache
def _hosts_file_names() -> frozenset[str]:
    """Every name /etc/hosts lists, read once."""
    text = _read_small("/etc/hosts")
    if text is None:
        return frozenset()
    lines = text.splitlines()
    return frozenset(word.lower() for line in lines for word in line.split("#", 1)[0].split()[1:])


MAX_HOST_FILE = 256 * 1024


def _read_small(path: str) -> str | None:
    """A regular file's text, at most MAX_HOST_FILE bytes, never blocking (no FIFO, no device)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (OSError, ValueError):  # ValueError: a NUL byte in the name
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return os.read(fd, MAX_HOST_FILE).decode("utf-8", "replace")
    except OSError:
        return None
    finally:
        os.close(fd)


def _read_routes() -> list[tuple[str, str]]:
    """Directly connected IPv4 networks from /proc/net/route (routes without a gateway)."""
    import socket
    import struct

    text = _read_small("/proc/net/route") or ""
    found: list[tuple[str, str]] = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        try:
            destination, flags, mask = int(fields[1], 16), int(fields[3], 16), int(fields[7], 16)
        except ValueError:
            continue
        if flags & 0x2 or mask == 0:  # via a gateway, or the default route
            continue
        network = socket.inet_ntoa(struct.pack("<I", destination))
        prefix = bin(mask).count("1")
        found.append((fields[0], f"{network}/{prefix}"))
    return found


def _listdir(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def _read_interfaces() -> dict[str, list[str]]:
    """Interface names and their IPv4 addresses, asked of the kernel (no program is run)."""
    import fcntl
    import socket
    import struct

    result: dict[str, list[str]] = {}
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return result
    siocgifaddr = 0x8915
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for name in names:
            addresses: list[str] = []
            try:
                request = struct.pack("256s", name.encode()[:15])
                answer = fcntl.ioctl(probe.fileno(), siocgifaddr, request)
                addresses.append(socket.inet_ntoa(answer[20:24]))
            except OSError:
                pass
            result[name] = addresses
    return result


def live(node_name: str | None = None, addresses: dict[str, list[str]] | None = None) -> HostFacts:
    """This machine's facts; `node_name` (from --node) stands in for `uname -n`, `addresses`
    (tests) for its interfaces."""
    if node_name is not None:
        return LiveHost(node_name, "--node", addresses)
    nodeinfo = "/etc/ha.d/nodeinfo"
    text = _read_small(nodeinfo)
    first = text.partition("\n") if text else ("", "", "")
    if first[1] and first[0].strip():
        return LiveHost(first[0].strip()[:255], nodeinfo, addresses)
    return LiveHost(os.uname().nodename, "uname -n", addresses)

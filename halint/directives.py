"""The directives Heartbeat 3.0.6 accepts in ha.cf, and how it reads each one's arguments.

Source: heartbeat/config.c of 3.0.6 (option table, whole-line table) and the HBcomm plugins
the Debian package installs. The grammar names the same words; this table says what they mean.
"""

from __future__ import annotations

from typing import Literal

ValueType = Literal["time", "int", "bool", "word"]

# Heartbeat's tables (include/heartbeat.h): at most MAXNODE nodes, ping nodes and ping groups
# included, and MAXMEDIA media (each bcast interface, serial port and ping host is one).
MAX_NODES = 100
MAX_MEDIA = 64

# Option directives: the rest of the line is split on blanks and commas, each token applied in
# turn (so the last one wins).
OPTIONS: dict[str, ValueType] = {
    "cluster": "word",
    "node": "word",
    "hopfudge": "int",
    "keepalive": "time",
    "deadtime": "time",
    "deadping": "time",
    "initdead": "time",
    "warntime": "time",
    "watchdog": "word",
    "baud": "int",
    "udpport": "int",
    "logfacility": "word",
    "logfile": "word",
    "debugfile": "word",
    "nice_failback": "bool",
    "auto_failback": "word",
    "rtprio": "int",
    "hbgenmethod": "word",
    "realtime": "bool",
    "debug": "int",
    "msgfmt": "word",
    "use_logd": "bool",
    "conn_logd_time": "time",
    "use_apphbd": "bool",
    "log_badpack": "bool",
    "syslogmsgfmt": "bool",
    "coredumps": "bool",
    "coreroot": "word",
    "crm_daemon_dir": "word",
    "crmd_spawns_pengine": "bool",
    "pacemaker": "word",
    "crm": "word",
    "autojoin": "word",
    "uuidfrom": "word",
    "compression": "word",
    "compression_threshold": "int",
    "traditional_compression": "bool",
    "env": "word",
    "max_rexmit_delay": "int",
    "record_config_changes": "bool",
    "record_pengine_inputs": "bool",
    "enable_config_writes": "bool",
    "memreserve": "int",
    "quorum_server": "word",
}

# Media whose arguments are tokens (blanks and commas separate them); `udp` is an alias of bcast.
TOKEN_MEDIA = ("bcast", "udp", "serial", "ping", "ping6")
# Media and whole-line directives that get the raw rest of the line, split on blanks only.
LINE_MEDIA = ("mcast", "mcast6", "ucast", "ucast6", "ping_group")
WHOLE_LINE = ("stonith", "stonith_host", "apiauth", "respawn", "failfast")

ALL_DIRECTIVES: tuple[str, ...] = (*OPTIONS, *TOKEN_MEDIA, *LINE_MEDIA, *WHOLE_LINE)

# Directives that exist in other Heartbeat versions or builds but not in a stock 3.0.6.
NOT_IN_306 = {
    "normalpoll": "compiled out of Heartbeat 3.0.x",
    "hbaping": "only in builds with the HBA API library",
    "rds": "only in builds with RDS support",
    "tipc": "only in builds with TIPC support",
}

LOG_FACILITIES = (
    "auth",
    "authpriv",
    "cron",
    "daemon",
    "ftp",
    "kern",
    "lpr",
    "mail",
    "mark",
    "news",
    "security",
    "syslog",
    "user",
    "uucp",
    *(f"local{n}" for n in range(8)),
    "none",
)
BAUD_RATES = (9600, 19200, 38400, 57600, 115200, 230400, 460800)
COMPRESSION_MODULES = ("zlib", "bz2")
PACEMAKER_VALUES = ("respawn", "minimal", "manual", "ccm-only", "valgrind")

# Values that must be one of a fixed set; `True` means compared case-insensitively.
ENUMS: dict[str, tuple[tuple[str, ...], bool]] = {
    "hbgenmethod": (("file", "time"), False),
    "msgfmt": (("classic", "netstring"), False),
    "autojoin": (("none", "other", "any"), True),
    "uuidfrom": (("file", "nodename"), False),
    "logfacility": (LOG_FACILITIES, False),
    "compression": (COMPRESSION_MODULES, False),
}

# Integer options: the smallest and largest value Heartbeat accepts (None: no bound).
INT_RANGES: dict[str, tuple[int, int | None]] = {
    "hopfudge": (0, 255),
    "debug": (0, 255),
    "rtprio": (1, 99),
    "udpport": (1, None),
    "compression_threshold": (1, None),
    "max_rexmit_delay": (1, None),
    "memreserve": (1, None),
}

# Times Heartbeat refuses unless they are above zero.
POSITIVE_TIMES = ("keepalive", "warntime", "conn_logd_time")

# How Heartbeat says it refuses a value of the directive: the start of its message in
# rules/HL102.toml (halint.rulemeta.quoted("HL102", start, value) fills it in). A directive not
# listed is refused with only "Heartbeat not started: configuration error.".
REFUSALS: dict[str, str] = {
    "warntime": "Warn time",
    "baud": "heartbeat: invalid baudrate",
    "udpport": "heartbeat: invalid port",
    "rtprio": "Illegal realtime priority",
    "compression_threshold": "set_compression_threshold",
    "max_rexmit_delay": "Invalid max_rexmit_delay",
    "env": "set_env",
    "coreroot": "Invalid dir in",
    "logfacility": "Log facility",
    "hbgenmethod": "Illegal hb generation",
    "autojoin": "Invalid autojoin",
    "uuidfrom": "Invalid uuidfrom",
    "compression": "Compression module",
}

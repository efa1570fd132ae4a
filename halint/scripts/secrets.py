"""Passwords and tokens written into a script, found by their shape; their values never leave.

`find` returns where each secret is (line, the column range of its value) and what names it
(`MYSQL_PASSWORD`, `--password`, `-p` of mysql); `mask` gives the line with every value replaced,
which is the only form in which a script line is ever shown.
"""

from __future__ import annotations

from halint.regex import compiled

MASK = "********"
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_SECRET_PARTS = frozenset(
    [
        "pass",
        "password",
        "passwd",
        "passphrase",
        "pw",
        "pwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
    ]
)
# (ROOTPW, DBPASS, MYPWD, SNMPCOMMUNITY: the name written as one word)
_SECRET_ENDINGS = (
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "access_key",
    "pw",
    "pwd",
    "pass",
    "passphrase",
    "community",
)
_NOT_SECRET = frozenset({"PWD", "OLDPWD"})


def _secret_name(name: str) -> bool:
    """MYSQL_PASSWORD, dbPass, API_TOKEN — not SYSTEMD_NSS_BYPASS_BUS, not PWD."""
    if name.upper() in _NOT_SECRET:
        return False
    lower = name.lower()
    parts = compiled(r"_|(?<=[a-z])(?=[A-Z])").split(name)
    return lower.endswith(_SECRET_ENDINGS) or any(p.lower() in _SECRET_PARTS for p in parts)


# NAME=value (also after export/local/readonly), the value literal (not $VAR, not $(...))
_ASSIGNMENT = compiled(
    rf"(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)?)?(?P<name>{_NAME})="
    r"(?P<quote>['\"]?)(?P<value>[^'\"\s$`;&|()][^'\"\s;&|()]*)(?P=quote)"
)
_OPTION = compiled(
    r"(?P<name>--(?:password|passwd|token|api-key|secret)|-p(?=['\"]?[^\s'\"-]))"
    r"(?:=|(?<=-p))?(?P<quote>['\"]?)(?P<value>[^\s'\"$`][^\s'\"]*)(?P=quote)"
)
_OPTION_SPACED = compiled(
    r"(?P<name>--(?:password|passwd|token|api-key|secret)|sshpass\s+-p)\s+"
    r"(?P<quote>['\"]?)(?P<value>[^\s'\"$`-][^\s'\"]*)(?P=quote)"
)
_USERINFO = compiled(r"(?P<name>\b[a-z][a-z0-9+.-]{0,15}://[^\s/:@]{1,256}):(?P<value>[^\s/@$]+)@")
_CURL_USER = compiled(r"(?P<name>(?:-u|--user)\s+['\"]?[^\s:'\"]+):(?P<value>[^\s'\"$]+)")
_BEARER = compiled(r"(?P<name>Authorization:\s*(?:Bearer|Basic|Token))\s+(?P<value>[^\s'\"$]+)")
_MYSQL_LIKE = compiled(r"\b(mysql\w*|mariadb\w*)\b")


class Found:
    """A secret-looking value: its line (1-based), its 0-based character offsets in the line,
    and the name it was assigned to."""

    __slots__ = ("end", "line", "name", "start")

    def __init__(self, line: int, start: int, end: int, name: str) -> None:
        self.line = line
        self.start = start
        self.end = end
        self.name = name


def _line_secrets(number: int, line: str) -> list[Found]:
    found: list[Found] = []
    for match in _ASSIGNMENT.finditer(line):
        name = match.group("name")
        if not _secret_name(name):
            continue
        found.append(Found(number, match.start("value"), match.end("value"), name))
    for pattern in (_OPTION, _OPTION_SPACED):
        for match in pattern.finditer(line):
            name = match.group("name")
            if name == "-p" and not _MYSQL_LIKE.search(line[: match.start()]):
                continue  # `-p` is a password only for mysql and friends
            found.append(Found(number, match.start("value"), match.end("value"), name))
    for pattern in (_USERINFO, _CURL_USER, _BEARER):
        if pattern is _USERINFO and "://" not in line:
            continue
        for match in pattern.finditer(line):
            label = "a password in a URL" if pattern is _USERINFO else match.group("name")
            found.append(Found(number, match.start("value"), match.end("value"), label))
    found.sort(key=lambda f: f.start)
    kept: list[Found] = []
    for item in found:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    return kept


MAX_FOUND = 64  # enough to report; a script of nothing but secrets costs no more


def find(lines: list[str]) -> list[Found]:
    """The secrets of a script (the first MAX_FOUND); lines past 4000 characters are cut."""
    result: list[Found] = []
    for number, line in enumerate(lines, start=1):
        if len(line) > 4000:
            line = line[:4000]
        result.extend(_line_secrets(number, line))
        if len(result) >= MAX_FOUND:
            break
    return result[:MAX_FOUND]


def mask(line: str, secrets: list[Found]) -> str:
    for item in sorted(secrets, key=lambda f: f.start, reverse=True):
        line = line[: item.start] + MASK + line[item.end :]
    return line

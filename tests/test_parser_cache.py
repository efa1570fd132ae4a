"""The parsers kept in the cache folder (halint.grammar): one loaded from the cache reads every
line as a freshly built one does, errors included; a stale, damaged or unwritable cache only
costs the time of building."""

from __future__ import annotations

from pathlib import Path

import pytest
from lark import Lark
from lark.exceptions import UnexpectedInput

from halint.grammar import OPTIONS, cache_key, load_parser, save_parser
from halint.resources import data_dir
from tests.conftest import FIXTURES, REPO

FILE_OF = {"ha_cf": "ha.cf", "authkeys": "authkeys", "haresources": "haresources"}
ODD_LINES = [
    "",
    "\n",
    "keepalive 2\n",
    "node a b c // d\n",
    "bcast eth0 eth1 # two\n",
    "ucast eth0 <backup node ip>\n",
    "auth 1\n",
    "1 sha1 key # comment\n",
    "2sha1KEY\n",
    "node1 IPaddr::10.0.0.1/24/eth0 Filesystem::/dev/sdb1::/data::ext3 \\\n",
    "node1 a::::b\n",
    "\x00\x01\x7f weird\n",
    "keepalive\u30002\n",
    "# only a comment",
    "::\n",
    "   \t \n",
]


def build(name: str) -> Lark:
    return Lark((data_dir("grammars") / f"{name}.lark").read_text(encoding="utf-8"), **OPTIONS)


def lines_of(name: str) -> list[str]:
    wanted = FILE_OF[name]
    found = list(ODD_LINES)
    for root in (REPO / "examples", FIXTURES):
        for path in sorted(root.rglob(wanted)):
            if path.is_file():
                found += path.read_text(encoding="utf-8", errors="replace").splitlines(True)
    return found


def reading(parser: Lark, line: str) -> str:
    try:
        return repr(parser.parse(line))
    except UnexpectedInput as error:
        expected = sorted(getattr(error, "expected", None) or getattr(error, "allowed", ()))
        return f"{type(error).__name__} {error.line}:{error.column} {expected}"


@pytest.mark.parametrize("name", sorted(FILE_OF))
def test_a_kept_parser_reads_every_line_as_a_built_one(tmp_path: Path, name: str) -> None:
    text = (data_dir("grammars") / f"{name}.lark").read_text(encoding="utf-8")
    path, key = tmp_path / f"{name}.parser", cache_key(text)
    save_parser(path, key, build(name))
    kept = load_parser(path, key)
    assert kept is not None
    fresh = build(name)
    lines = lines_of(name)
    assert len(lines) > len(ODD_LINES)
    for line in lines:
        assert reading(kept, line) == reading(fresh, line), line


def test_a_stale_or_damaged_parser_file_is_not_used(tmp_path: Path) -> None:
    text = (data_dir("grammars") / "authkeys.lark").read_text(encoding="utf-8")
    path, key = tmp_path / "authkeys.parser", cache_key(text)
    save_parser(path, key, build("authkeys"))
    assert load_parser(path, key) is not None
    assert load_parser(path, cache_key(text + "\n// edited")) is None
    payload = path.read_bytes()
    for damaged in (b"", payload[: len(payload) // 2], key + b"\nnot a pickle", b"x" + payload):
        path.write_bytes(damaged)
        assert load_parser(path, key) is None
    assert load_parser(tmp_path / "missing.parser", key) is None


def test_an_unwritable_cache_folder_costs_nothing(tmp_path: Path) -> None:
    text = (data_dir("grammars") / "authkeys.lark").read_text(encoding="utf-8")
    path = tmp_path / "no such folder" / "authkeys.parser"
    save_parser(path, cache_key(text), build("authkeys"))
    assert not path.parent.exists()

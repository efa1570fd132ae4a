"""The compiled-pattern cache (halint.regex): a pattern from the cache is the pattern
re.compile gives, a damaged or unwritable cache file costs nothing but time, HALINT_NO_CACHE
writes nothing, and no authkeys key ever reaches a cache file."""

from __future__ import annotations

import ast
import marshal
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from halint import regex
from halint.regex import PatternCache, cache_file
from tests.test_cli import GOOD_HACF, GOOD_HARESOURCES, make_node

SAMPLES: list[tuple[str, int]] = [
    (r"^(?P<mon>[A-Z][a-z]{2}) +(?P<day>\d{1,2}) (?P<rest>.*)$", 0),
    (r"(?P<quote>['\"]?)(?P<value>[^'\"\s]+)(?P=quote)", 0),
    (r"(?<![A-Za-z0-9])(?:abc|de)(?![A-Za-z0-9])", 0),
    (r"^auth\s*[0-9]+", re.IGNORECASE | re.MULTILINE),
    (r"(?i)^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", 0),
    (r"\bheartbeat\b.*\[\d+\]:[ \t]++(?>x|y)", re.DOTALL),
    ("[\u3000\u00a0]|\\w+", 0),
    (r"a{2,}?b|c{5}|d*", 0),
    (r"(?P<_TOKSEP>[ \t\f\v,]+)|(?P<COMMENT>#[^\n]*)", 0),
    (r"  x  # a comment\n  y", re.VERBOSE),
]
TEXTS = [
    "Mar  3 12:00:00 node1 heartbeat[12]: x",
    "PASS='s3cr3t' user",
    "abc de xabc",
    "Auth 1\nauth 2",
    "node-1.example.com",
    "heartbeat [7]: \t x",
    "a\u3000b",
    "aaab ccccc",
    " , # note",
    "xy",
    "",
]


def compile_all(cache: PatternCache) -> list[re.Pattern[str]]:
    return [cache.compile(pattern, flags) for pattern, flags in SAMPLES]


def assert_behaves_as_re(patterns: list[re.Pattern[str]]) -> None:
    for found, (pattern, flags) in zip(patterns, SAMPLES, strict=True):
        expected = re.compile(pattern, flags)
        assert found == expected
        assert (found.flags, found.groups, dict(found.groupindex)) == (
            expected.flags,
            expected.groups,
            dict(expected.groupindex),
        )
        for text in TEXTS:
            got, want = found.search(text), expected.search(text)
            assert (got and (got.span(), got.groups(), got.lastgroup)) == (
                want and (want.span(), want.groups(), want.lastgroup)
            )
            assert found.sub("-", text) == expected.sub("-", text)


def nothing_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every pattern the cache has to build (rather than read)."""
    built: list[str] = []
    real = regex.build

    def recording(pattern: str, flags: int) -> regex.Program:
        built.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(regex, "build", recording)
    return built


def test_a_pattern_from_the_cache_is_the_pattern_re_compiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "patterns.marshal"
    cold = PatternCache(path)
    assert_behaves_as_re(compile_all(cold))
    cold.save()
    assert path.is_file()
    built = nothing_built(monkeypatch)
    assert_behaves_as_re(compile_all(PatternCache(path)))
    assert built == []


def test_a_bad_pattern_raises_re_error_and_is_not_kept(tmp_path: Path) -> None:
    cache = PatternCache(tmp_path / "patterns.marshal")
    with pytest.raises(re.error):
        cache.compile(r"(unclosed")
    cache.save()
    assert not (tmp_path / "patterns.marshal").exists()


def _with_checksum(body: bytes) -> bytes:
    return zlib.crc32(body).to_bytes(4, "big") + body


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\x01",
        b"not a cache at all, just words",
        _with_checksum(b"\xff\xfe garbage"),
        _with_checksum(marshal.dumps([1, 2, 3])),
        _with_checksum(marshal.dumps({(p, int(f)): (0, [1, 2, 3], 0, {}, ()) for p, f in SAMPLES})),
        # a program whose length is no whole number of code words
        _with_checksum(
            marshal.dumps({(p, int(f)): (0, b"\x01\0\0", 0, {}, ()) for p, f in SAMPLES})
        ),
        _with_checksum(marshal.dumps({(p, int(f)): "nonsense" for p, f in SAMPLES})),
    ],
)
def test_a_damaged_cache_file_is_ignored_and_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    path = tmp_path / "patterns.marshal"
    path.write_bytes(damage)
    damaged = PatternCache(path)
    assert_behaves_as_re(compile_all(damaged))
    damaged.save()
    assert path.read_bytes() != damage
    built = nothing_built(monkeypatch)
    assert_behaves_as_re(compile_all(PatternCache(path)))
    assert built == []


def test_a_cache_file_with_a_flipped_byte_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "patterns.marshal"
    cold = PatternCache(path)
    compile_all(cold)
    cold.save()
    payload = bytearray(path.read_bytes())
    payload[len(payload) // 2] ^= 0x01
    path.write_bytes(bytes(payload))
    built = nothing_built(monkeypatch)
    assert_behaves_as_re(compile_all(PatternCache(path)))
    assert len(built) == len(SAMPLES)


def test_an_unwritable_cache_costs_nothing_but_time(tmp_path: Path) -> None:
    cache = PatternCache(tmp_path / "no such folder" / "patterns.marshal")
    assert_behaves_as_re(compile_all(cache))
    cache.save()
    assert not (tmp_path / "no such folder").exists()


def test_the_cache_file_is_named_for_this_python(tmp_path: Path) -> None:
    path = cache_file(tmp_path)
    assert path is not None
    assert sys.implementation.cache_tag in path.name
    assert str(regex._sre.MAGIC) in path.name


SECRET_KEY = "Zq8mVt3KpL0wXy5R"
OTHER_SECRET = "hunter2Pa55wordQ"


def secret_node(folder: Path) -> Path:
    """A node whose authkeys holds a key, and whose ha.cf and a resource script hold more
    key-shaped and secret text for the reports to mask."""
    node = make_node(
        folder,
        hacf=GOOD_HACF + f"# 1 sha1 {SECRET_KEY}\nkeepalive 2s\n",
        authkeys=f"auth 1\n1 sha1 {SECRET_KEY}\n2 md5 {OTHER_SECRET}\n",
        haresources=GOOD_HARESOURCES + "node1 mysvc\n",
    )
    script = node / "resource.d" / "mysvc"
    script.parent.mkdir()
    script.write_text(
        f'#!/bin/sh\nPASSWORD="{OTHER_SECRET}"\ncase "$1" in\nstart) exit 0;;\n'
        "stop) exit 0;;\nstatus) echo running;;\nesac\n"
    )
    script.chmod(0o755)
    return node


def run_halint(
    node: Path, cache: Path, *extra: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "HALINT_NO_CACHE"}
    environment.update(XDG_CACHE_HOME=str(cache), NO_COLOR="1", **env)
    return subprocess.run(
        [sys.executable, "-m", "halint", "check", "--offline", *extra, str(node)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_no_authkeys_key_reaches_a_cache_file(tmp_path: Path) -> None:
    node = secret_node(tmp_path / "ha.d")
    cache = tmp_path / "cache"
    for output in ("text", "json", "sarif"):
        result = run_halint(node, cache, "--format", output)
        assert result.returncode in (0, 1), result.stderr
        assert SECRET_KEY not in result.stdout
    files = [f for f in (cache / "halint").iterdir() if f.is_file()]
    assert any(f.name.startswith("patterns-") for f in files)
    for secret in (SECRET_KEY, OTHER_SECRET):
        for encoded in (secret.encode(), secret.encode("utf-16-le"), secret.encode("utf-32-le")):
            for file in files:
                assert encoded not in file.read_bytes(), file.name


def test_halint_says_the_same_with_a_cold_a_warm_and_no_cache(tmp_path: Path) -> None:
    node = secret_node(tmp_path / "ha.d")
    cache = tmp_path / "cache"
    cold = run_halint(node, cache, "--format", "json")
    warm = run_halint(node, cache, "--format", "json")
    none = run_halint(node, tmp_path / "unused", "--format", "json", HALINT_NO_CACHE="1")
    assert cold.returncode == warm.returncode == none.returncode == 1
    assert cold.stdout == warm.stdout == none.stdout
    assert "HL102" in cold.stdout
    assert cold.stderr == warm.stderr == none.stderr == ""


def test_halint_no_cache_writes_nothing(tmp_path: Path) -> None:
    node = secret_node(tmp_path / "ha.d")
    cache = tmp_path / "cache"
    result = run_halint(node, cache, HALINT_NO_CACHE="1")
    assert result.returncode == 1
    assert not cache.exists() or list(cache.rglob("*")) == []


# Runs halint, then prints each pattern halint or lark compiled the slow way: built for the
# cache (a miss) or compiled by re itself (what the cache must never see, or a lexer that
# bypasses it). The patterns of the standard library and of lark's own modules, compiled on
# import by any program that uses them, are not counted.
WARM_RUN = """
import os
import sys
from re import _compiler
import lark.lexer
from halint import regex
HALINT = os.path.dirname(regex.__file__) + os.sep
slow = []
real_build, real_compile = regex.build, _compiler.compile

def building(pattern, flags):
    slow.append(("built", pattern))
    return real_build(pattern, flags)

def compiling(pattern, flags=0):
    frame = sys._getframe(1)
    while frame is not None and "/re/" in frame.f_code.co_filename:
        frame = frame.f_back
    where = frame.f_code.co_filename if frame is not None else ""
    ours = where.startswith(HALINT) and where != regex.__file__
    if ours or where == lark.lexer.__file__:
        slow.append(("re.compile", pattern))
    return real_compile(pattern, flags)

regex.build, _compiler.compile = building, compiling
from halint.cli import main
sys.argv = ["halint", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
print("slow:", repr(slow), file=sys.stderr)
"""


def test_a_warm_run_compiles_only_what_it_read(tmp_path: Path) -> None:
    node = secret_node(tmp_path / "ha.d")
    cache = tmp_path / "cache"
    environment = {k: v for k, v in os.environ.items() if k != "HALINT_NO_CACHE"}
    environment.update(XDG_CACHE_HOME=str(cache), NO_COLOR="1")
    runs = []
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", WARM_RUN, "check", "--offline", str(node)],
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )
        runs.append(ast.literal_eval(result.stderr.rsplit("slow:", 1)[1].strip()))
    cold, warm = runs
    # halint's own patterns and the lexers' of the three grammars
    assert len([how for how, _ in cold if how == "built"]) > 20
    # warm: only the search for the key words, which is built from the file and never kept
    assert warm
    assert all(how == "re.compile" and SECRET_KEY in pattern for how, pattern in warm)

"""The repository keeps its promises: README commands, CI, lint, the generated docs, the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)


def test_ci_runs_the_readme_test_command() -> None:
    commands = readme_commands()
    assert len(commands) >= 2
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert ci_lines[-1] == commands[1]


def test_the_code_is_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [ruff, "check", "halint", "tests", "bench"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_docs_rules_md_is_generated_from_the_catalogue() -> None:
    from halint.docs import render_catalogue

    current = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_catalogue(), "docs/rules.md is stale: python -m halint.docs"


def test_the_wheel_carries_grammars_and_rules_and_runs_from_anywhere(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if build.returncode != 0:
        pytest.skip(f"could not build a wheel here: {build.stderr[-300:]}")
    (wheel,) = tmp_path.glob("halint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "halint/grammars/ha_cf.lark" in names
    assert "halint/rules/HL101.toml" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            "import sys; sys.path[:0] = [sys.argv[1], *sys.argv[2:]]; "
            "from halint.cli import main; sys.argv = ['halint', 'explain', 'HL101']; main()",
            str(unpacked),
            *[p for p in sys.path if "site-packages" in p],
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=False,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert "unknown-directive" in run.stdout
    assert str(REPO) not in run.stdout

"""The repository keeps its promises: README commands, CI, lint, the generated docs, the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
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

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


def test_halint_is_mypy_strict_clean() -> None:
    """Typed all the way: pyproject.toml's [tool.mypy] (strict, files = halint)."""
    mypy = shutil.which("mypy") or str(Path(sys.executable).with_name("mypy"))
    if not Path(mypy).exists():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        [mypy, "--no-incremental"],
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


def test_the_fast_model_construct_builds_what_pydantic_builds() -> None:
    """halint.models.FastConstruct skips pydantic's per-field alias loop: it must still make
    the same instances (fields in order, defaults, fresh default lists, fields set)."""
    from pydantic import BaseModel

    from halint.findings import Finding
    from halint.models import HaCf, Span, Word

    cases = [
        (Span, {"path": "ha.cf", "line": 3, "column": 2}),
        (Word, {"text": "x", "span": Span.model_construct(path="p", line=1)}),
        (HaCf, {"path": "ha.cf"}),
        (
            Finding,
            {
                "rule": "HL101",
                "name": "n",
                "severity": "error",
                "blocks_start": True,
                "path": "p",
                "line": 1,
                "message": "m",
            },
        ),
    ]
    for model, values in cases:
        fast = model.model_construct(**values)
        slow = BaseModel.model_construct.__func__(model, **values)  # type: ignore[attr-defined]
        assert list(fast.__dict__.items()) == list(slow.__dict__.items())
        assert fast.model_fields_set == slow.model_fields_set
    first, second = HaCf.model_construct(path="a"), HaCf.model_construct(path="b")
    assert first.nodes == [] and first.nodes is not second.nodes

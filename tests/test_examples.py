"""The CI examples in examples/ci stay usable: valid YAML/TOML that halint accepts."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from tests.conftest import REPO
from tests.test_cli import make_node, run

CI = REPO / "examples" / "ci"


def test_the_example_config_is_accepted(tmp_path: Path) -> None:
    shutil.copy(CI / "halint.toml", tmp_path / ".halint.toml")
    tomllib.loads((CI / "halint.toml").read_text())
    code, _, err = run("check", str(make_node(tmp_path / "ha" / "web1")))
    assert code in (0, 1), err


def test_the_workflows_are_yaml_and_run_halint() -> None:
    import yaml  # pre-commit depends on PyYAML

    github = yaml.safe_load((CI / "github-actions.yml").read_text())
    steps = github["jobs"]["halint"]["steps"]
    assert any("halint check --offline --format sarif" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    gitlab = yaml.safe_load((CI / "gitlab-ci.yml").read_text())
    assert "halint check --offline ha/" in gitlab["halint"]["script"]
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hooks[0]["id"] == "halint" and "--offline" in hooks[0]["entry"]
    (example,) = yaml.safe_load((CI / "pre-commit-config.yaml").read_text())["repos"]
    (local,) = example["hooks"]
    # The example is the README's recipe, and runs what the published hook runs.
    from tests.test_precommit import readme_recipe

    assert yaml.safe_load(readme_recipe())["repos"] == [example]
    assert example["repo"] == "local"
    assert (local["entry"], local["files"]) == (hooks[0]["entry"], hooks[0]["files"])


def test_the_fleet_example_says_what_the_readme_shows() -> None:
    """`cd examples/fleet && halint check --offline ha`, as the README has it: ha/shop is a
    link to examples/cluster, which is in the same checkout, so it is read."""
    import subprocess
    import sys

    readme = (REPO / "README.md").read_text()
    command = "$ cd examples/fleet && halint check --offline ha\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    head, tail = shown.split("...\n")
    if not (REPO / ".git").exists():  # a link out of a folder that is no checkout is not read
        return
    done = subprocess.run(
        [sys.executable, "-m", "halint", "check", "--offline", "ha"],
        cwd=REPO / "examples" / "fleet",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "COLUMNS": "100"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    # (key fingerprints are keyed with a secret drawn anew on every run)
    fingerprint = re.compile(r"\[[0-9a-f]{8}\]")
    out = fingerprint.sub("[…]", done.stdout)
    assert out.startswith(fingerprint.sub("[…]", head))
    assert out.endswith(fingerprint.sub("[…]", tail))

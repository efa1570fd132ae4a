"""The CI examples in examples/ci stay usable: valid YAML/TOML that halint accepts."""

from __future__ import annotations

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

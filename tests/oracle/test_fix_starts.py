"""The tutorial's ha.d as its readers had it refuses to start under the real Heartbeat 3.0.6;
after `halint check --fix` it starts (and `--diff` alone changed nothing)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from halint.cli import cli
from tests.conftest import REPO
from tests.oracle.heartbeat import run_heartbeat, unavailable_reason

pytestmark = pytest.mark.oracle
TUTORIAL = REPO / "examples" / "tutorial" / "ha.d"
WEB1 = ("ens33=192.168.137.104/24",)


def test_the_tutorials_ha_d_starts_after_fix(tmp_path: Path) -> None:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"oracle tests skipped: {reason}")
    folder = tmp_path / "ha.d"
    shutil.copytree(TUTORIAL, folder)
    (folder / "authkeys").chmod(0o644)  # as scp and git leave it
    before = run_heartbeat(folder, "web1", WEB1)
    assert before.refused
    assert "Client child command [/usr/lib64/heartbeat/ipfail] is not executable" in (
        before.errors()
    )

    snapshot = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    diff = CliRunner().invoke(cli, ["check", "--node", "web1", "--diff", str(folder)])
    assert diff.exit_code == 1, diff.stdout
    assert "+respawn hacluster /usr/libexec/heartbeat/ipfail" in diff.stdout
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == snapshot
    assert (folder / "authkeys").stat().st_mode & 0o777 == 0o644
    assert run_heartbeat(folder, "web1", WEB1).refused  # --diff wrote nothing

    # The respawn path alone: the daemon's next stage then refuses the authkeys mode.
    CliRunner().invoke(cli, ["check", "--node", "web1", "--select", "HL603", "--fix", str(folder)])
    halfway = run_heartbeat(folder, "web1", WEB1)
    assert halfway.refused
    assert any("Bad permissions on keyfile" in text for text in halfway.errors())

    fixed = CliRunner().invoke(cli, ["check", "--node", "web1", "--fix", str(folder)])
    assert fixed.stdout.startswith("Fixed "), fixed.stdout
    after = run_heartbeat(folder, "web1", WEB1)
    assert not after.refused, after.errors()
    assert after.validated

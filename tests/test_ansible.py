"""Ansible's `validate:` with halint, run by the real ansible-playbook (connection: local)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PLAYBOOK = REPO / "examples" / "ansible" / "heartbeat.yml"
HALINT = Path(sys.executable).with_name("halint")


def ansible_playbook() -> str:
    found = shutil.which("ansible-playbook") or str(
        Path(sys.executable).with_name("ansible-playbook")
    )
    if not Path(found).exists():
        pytest.skip("ansible-core is not installed (pip install -e '.[test]')")
    return found


def play(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    ha_d = tmp_path / "ha.d"
    ha_d.mkdir(exist_ok=True)
    inventory = tmp_path / "inventory.ini"
    inventory.write_text(
        "[heartbeat]\n"
        f"web1 ansible_connection=local ansible_python_interpreter={sys.executable} "
        "peer_address=192.168.137.105\n"
        "web2 peer_address=192.168.137.104\n"
        "[heartbeat:vars]\ninterface=ens33\nvirtual_ip=192.168.137.200/24/ens33:0\n"
        "deadtime=30\ncluster_key=c2f0a9e47b1d83a65e0c4f81\n"
    )
    env = {
        **os.environ,
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_REMOTE_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_CONFIG": str(tmp_path / "none.cfg"),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [
            ansible_playbook(),
            "-i",
            str(inventory),
            "--limit",
            "web1",
            "-e",
            f"ha_d={ha_d}",
            "-e",
            f"halint={HALINT}",
            "-e",
            "halint_options=--offline",
            "-e",
            "ansible_become=false",
            *extra,
            str(PLAYBOOK),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )


def test_good_templates_are_validated_and_written(tmp_path: Path) -> None:
    result = play(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    ha_d = tmp_path / "ha.d"
    assert "ucast ens33 192.168.137.105\n" in (ha_d / "ha.cf").read_text()
    assert "node web1\nnode web2\n" in (ha_d / "ha.cf").read_text()
    assert (ha_d / "authkeys").stat().st_mode & 0o777 == 0o600
    assert (ha_d / "haresources").read_text() == "web1 192.168.137.200/24/ens33:0 nginx\n"


def test_a_bad_template_fails_its_task_with_halints_message(tmp_path: Path) -> None:
    result = play(tmp_path, "-e", "deadtime=30s")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "failed to validate" in out
    assert "error HL102 deadtime `30s`" in out
    assert "write `deadtime 30`" in out
    assert not (tmp_path / "ha.d" / "ha.cf").exists()  # nothing was written


def test_a_weak_key_fails_and_is_never_shown(tmp_path: Path) -> None:
    (tmp_path / "ha.d").mkdir()
    result = play(tmp_path, "-e", "cluster_key=HI!")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "HL207" in out and "key 1 is weak" in out
    assert "HI!" not in out.replace("cluster_key=HI!", "")
    assert not (tmp_path / "ha.d" / "authkeys").exists()

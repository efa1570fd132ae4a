"""Every published config set in the shared corpus is read without an internal error, and its
findings are snapshotted so that any change to them shows up in review.

Refresh the snapshots after an intended change with HALINT_UPDATE_SNAPSHOTS=1.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from halint.engine import CheckRequest, run_check
from halint.report.json_report import finding_dict
from tests.conftest import FIXTURES, shared_dir

SNAPSHOTS = FIXTURES / "corpus"
_shared = shared_dir()
SLUGS = sorted(p.name for p in (_shared / "corpus" / "configs").iterdir()) if _shared else []


def snapshot_of(folder: Path) -> list[dict]:
    request = CheckRequest(paths=[str(folder)], offline=True, use_config=False)
    findings = run_check(request).findings()
    prefix = str(folder) + os.sep
    out = []
    for finding in findings:
        entry = finding_dict(finding)
        entry["path"] = entry["path"].removeprefix(prefix)
        for related in entry["related"]:
            related["path"] = related["path"].removeprefix(prefix)
        entry["node"] = folder.name
        del entry["cluster"]  # a one-node run names no cluster
        del entry["fixable"]  # what --fix does is tested in test_fix.py
        out.append(entry)
    return out


@pytest.mark.skipif(not SLUGS, reason="the shared corpus (../shared/corpus) is absent")
@pytest.mark.parametrize("slug", SLUGS)
def test_corpus_config_findings_match_the_snapshot(slug: str, corpus_dir: Path) -> None:
    current = snapshot_of(corpus_dir / "configs" / slug)
    target = SNAPSHOTS / f"{slug}.json"
    if os.environ.get("HALINT_UPDATE_SNAPSHOTS"):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(current, indent=2, ensure_ascii=False) + "\n")
    assert target.exists(), f"no snapshot for {slug}: run with HALINT_UPDATE_SNAPSHOTS=1"
    assert current == json.loads(target.read_text()), f"findings for {slug} changed"


@pytest.mark.skipif(not SLUGS, reason="the shared corpus (../shared/corpus) is absent")
def test_every_snapshot_belongs_to_a_corpus_set() -> None:
    stale = {p.stem for p in SNAPSHOTS.glob("*.json")} - set(SLUGS)
    assert not stale


@pytest.mark.skipif(not SLUGS, reason="the shared corpus (../shared/corpus) is absent")
def test_known_corpus_mistakes_are_found(corpus_dir: Path) -> None:
    """A few facts SOURCES.tsv states about the published files."""
    configs = corpus_dir / "configs"
    rules = {
        slug: {f["rule"] for f in snapshot_of(configs / slug)}
        for slug in ("zongyuwang-heartbeat-nginx", "smartmz-tfs-crm-off", "arheops-kamailio")
    }
    assert "HL101" in rules["zongyuwang-heartbeat-nginx"]  # '// ...' notes in ha.cf
    assert "HL200" in rules["zongyuwang-heartbeat-nginx"]  # ... and in authkeys
    assert "HL101" in rules["smartmz-tfs-crm-off"]  # full-width indentation
    assert "HL401" in rules["arheops-kamailio"]  # no authkeys published

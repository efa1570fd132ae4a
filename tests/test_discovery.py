"""Repositories of clusters: nodes found at any depth, grouped into clusters by the names they
declare, named by every signal the files give, and compared only within their cluster."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from halint import discovery, engine
from halint.engine import CheckRequest, run_check
from tests.test_cli import GOOD_AUTHKEYS, GOOD_HACF, make_node, run

DB_HACF = (
    GOOD_HACF.replace("node node1\nnode node2\n", "node db1\nnode db2\n")
    .replace("192.168.1.2", "192.168.2.2")
    .replace("10.0.0.2", "10.0.1.2")
)
DB_AUTHKEYS = "auth 1\n1 sha1 77d1f0c3b49e2a8d6c51ffee\n"
DB_HARESOURCES = "db1 IPaddr::192.168.2.100/24/eth0 mysql\n"


def peer(hacf: str, own: str, other: str) -> str:
    return hacf.replace(own, other)


def shop_and_db(root: Path) -> Path:
    """ha/shop/{node1,node2}/ha.d and ha/db/{db1,db2}: two healthy clusters, different keys."""
    make_node(root / "ha" / "shop" / "node1" / "ha.d")
    make_node(
        root / "ha" / "shop" / "node2" / "ha.d",
        hacf=GOOD_HACF.replace("192.168.1.2", "192.168.1.1").replace("10.0.0.2", "10.0.0.1"),
    )
    make_node(root / "ha" / "db" / "db1", DB_HACF, DB_AUTHKEYS, DB_HARESOURCES)
    make_node(
        root / "ha" / "db" / "db2",
        DB_HACF.replace("192.168.2.2", "192.168.2.1").replace("10.0.1.2", "10.0.1.1"),
        DB_AUTHKEYS,
        DB_HARESOURCES,
    )
    return root / "ha"


def document(*args: str) -> dict:
    _, out, _ = run("check", "--offline", "--format", "json", *args)
    return json.loads(out)


def test_a_folder_of_clusters_is_checked_as_clusters_and_compared_within_each(
    tmp_path: Path,
) -> None:
    tree = shop_and_db(tmp_path)
    code, out, _ = run("check", "--offline", "--format", "json", str(tree))
    data = json.loads(out)
    assert code == 0, data["findings"]
    assert not data["findings"]  # different keys in different clusters are not a mismatch
    assert [(c["name"], c["folder"]) for c in data["clusters"]] == [
        ("db1+db2", str(tree / "db")),
        ("node1+node2", str(tree / "shop")),
    ]
    shop = data["clusters"][1]["nodes"]
    assert [(n["path"], n["name"], n["identified_by"]) for n in shop] == [
        (str(tree / "shop" / "node1" / "ha.d"), "node1", "the folder's name"),
        (str(tree / "shop" / "node2" / "ha.d"), "node2", "the folder's name"),
    ]


def test_each_finding_of_a_multi_cluster_run_says_its_cluster(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    (tree / "db" / "db2" / "authkeys").write_text("auth 1\n1 sha1 0000aaaa1111bbbb2222\n")
    data = document(str(tree))
    (finding,) = data["findings"]
    assert finding["rule"] == "HL501"
    assert finding["cluster"] == "db1+db2"
    assert finding["related"][0]["path"] == str(tree / "db" / "db1" / "authkeys")
    code, out, _ = run("check", "--offline", str(tree))
    assert code == 1
    assert "Checking 2 clusters (4 nodes):" in out
    assert f"Cluster db1+db2 (2 nodes in {tree / 'db'}):" in out
    assert "error HL501 [db1+db2] authkeys differ" in out
    assert out.rstrip().endswith("in 1 of 2 clusters.")


def test_two_clusters_given_on_one_command_line_are_not_compared(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    data = document(str(tree / "shop" / "node1" / "ha.d"), str(tree / "db" / "db1"))
    assert len(data["clusters"]) == 2
    assert not [f for f in data["findings"] if f["rule"].startswith("HL5")]


def test_a_node_list_that_meets_two_clusters_is_hl508_and_merges_nothing(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    half_edited = DB_HACF.replace("node db2\n", "node node2\n")
    make_node(tree / "db" / "db2", half_edited, DB_AUTHKEYS, DB_HARESOURCES)
    data = document(str(tree))
    names = [c["name"] for c in data["clusters"]]
    assert names == ["db1+db2", "db1+node2", "node1+node2"]
    (finding,) = [f for f in data["findings"] if f["rule"] == "HL508"]
    assert finding["path"] == str(tree / "db" / "db2" / "ha.cf")
    assert "names nodes of 2 clusters that share no node" in finding["message"]
    assert "node2 (cluster node1+node2:" in finding["message"]
    assert not [f for f in data["findings"] if f["rule"] in ("HL501", "HL503")]


def test_two_labs_with_the_same_node_names_are_told_apart_by_their_folders(
    tmp_path: Path,
) -> None:
    for lab, key in (("lab-a", GOOD_AUTHKEYS), ("lab-b", DB_AUTHKEYS)):
        make_node(tmp_path / lab / "node1", authkeys=key)
        make_node(
            tmp_path / lab / "node2",
            hacf=peer(GOOD_HACF, "192.168.1.2", "192.168.1.1"),
            authkeys=key,
        )
    data = document(str(tmp_path))
    assert [c["name"] for c in data["clusters"]] == [
        f"node1+node2 ({tmp_path / 'lab-a'})",
        f"node1+node2 ({tmp_path / 'lab-b'})",
    ]
    assert not [f for f in data["findings"] if f["rule"] == "HL501"]


def test_more_folders_than_nodes_side_by_side_are_each_checked_alone_and_said_so(
    tmp_path: Path,
) -> None:
    for name in ("alpha", "beta", "gamma"):
        make_node(tmp_path / name, authkeys=f"auth 1\n1 sha1 {name}c2f0a9e47b1d83a65\n")
    data = document(str(tmp_path))
    assert len(data["clusters"]) == 3
    assert not [f for f in data["findings"] if f["rule"].startswith("HL5")]
    (note,) = data["notes"]
    assert note.startswith("3 folders declare the same nodes (node1, node2) side by side")
    assert "each was checked alone" in note


def test_git_folders_and_virtual_environments_are_not_searched(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    make_node(tree / ".git" / "old" / "ha.d", hacf="kepalive 2\n")
    venv = tree / "tools"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    make_node(venv / "lib" / "ha.d", hacf="kepalive 2\n")
    data = document(str(tree))
    assert sum(len(c["nodes"]) for c in data["clusters"]) == 4
    assert not data["findings"]


def test_a_symlink_loop_in_the_tree_is_walked_once(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    os.symlink("..", tree / "shop" / "up")
    os.symlink(tree, tree / "db" / "again")
    data = document(str(tree))
    assert sum(len(c["nodes"]) for c in data["clusters"]) == 4


def test_a_huge_tree_is_searched_within_a_bound_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "MAX_FOLDERS", 20)
    for index in range(30):
        (tmp_path / "empty" / f"d{index:02}").mkdir(parents=True)
    make_node(tmp_path / "zz" / "node1")
    code, _, err = run("check", "--offline", str(tmp_path))
    assert code == 2
    assert "stopped searching after 20 folders" in err


def test_a_folder_without_any_node_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    code, _, err = run("check", "--offline", str(tmp_path))
    assert code == 2
    assert "no Heartbeat node here (no ha.cf, authkeys or haresources" in err


def write_pair(root: Path, first: str, second: str, hacf: str = GOOD_HACF) -> None:
    make_node(root / first, hacf=hacf)
    make_node(root / second, hacf=peer(hacf, "192.168.1.2", "192.168.1.1"))


def identities(root: Path) -> list[tuple[str, str | None, str]]:
    data = document(str(root))
    return [(Path(n["path"]).name, n["name"], n["identified_by"]) for n in data["nodes"]]


def test_a_nodeinfo_file_names_its_node(tmp_path: Path) -> None:
    write_pair(tmp_path, "left", "right")
    (tmp_path / "right" / "nodeinfo").write_text("node2\n")
    assert identities(tmp_path) == [
        ("left", "node1", "the only declared node left"),
        ("right", "node2", "its nodeinfo file"),
    ]


def test_a_hostname_file_beside_etc_ha_d_names_its_node(tmp_path: Path) -> None:
    make_node(tmp_path / "a" / "etc" / "ha.d")
    make_node(tmp_path / "b" / "etc" / "ha.d", hacf=peer(GOOD_HACF, "192.168.1.2", "192.168.1.1"))
    (tmp_path / "a" / "etc" / "hostname").write_text("node1\n")
    (tmp_path / "b" / "etc" / "hostname").write_text("node2\n")
    assert [(name, how) for _, name, how in identities(tmp_path)] == [
        ("node1", "its hostname file"),
        ("node2", "its hostname file"),
    ]


def test_a_hosts_file_turns_ucast_addresses_into_the_peer(tmp_path: Path) -> None:
    write_pair(tmp_path, "primary", "standby")
    (tmp_path / "hosts").write_text("192.168.1.1 node1\n192.168.1.2 node2 node2.lan\n")
    assert identities(tmp_path) == [
        ("primary", "node1", "it unicasts to 192.168.1.2, node2's by a hosts file"),
        ("standby", "node2", "it unicasts to 192.168.1.1, node1's by a hosts file"),
    ]


def test_a_folder_named_after_one_label_of_the_node_name(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace(
        "node node1\nnode node2\n", "node www.nginx1.com\nnode www.nginx2.com\n"
    )
    write_pair(tmp_path, "nginx1", "nginx2", hacf)
    assert [(f, n) for f, n, _ in identities(tmp_path)] == [
        ("nginx1", "www.nginx1.com"),
        ("nginx2", "www.nginx2.com"),
    ]


def test_a_word_of_the_folder_name_names_the_node(tmp_path: Path) -> None:
    hacf = GOOD_HACF.replace("node node1\nnode node2\n", "node lb1.docker.ee\nnode lb2.docker.ee\n")
    write_pair(tmp_path, "haproxy-ha-lb1", "haproxy-ha-lb2", hacf)
    assert [n for _, n, _ in identities(tmp_path)] == ["lb1.docker.ee", "lb2.docker.ee"]


def test_the_tree_is_streamed_and_reread_cluster_by_cluster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a few dozen nodes nothing is kept between grouping and checking: each cluster is
    read when its turn comes (so memory does not grow with the fleet)."""
    monkeypatch.setattr(engine, "KEEP_LOADED", 0)
    tree = shop_and_db(tmp_path)
    run_ = run_check(CheckRequest(paths=[str(tree)], offline=True, use_config=False))
    first = next(run_.clusters)
    assert first.name == "db1+db2" and not first.findings
    (tree / "shop" / "node2" / "ha.d" / "authkeys").write_text(DB_AUTHKEYS)
    (second,) = list(run_.clusters)
    assert [f.rule for f in second.findings] == ["HL501"]


def test_config_file_acts_the_same_through_check_and_diagnose(tmp_path: Path) -> None:
    """One pipeline: .halint.toml's ignore applies to `diagnose --config` as to `check`."""
    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("initdead 60", "initdead 40"))
    log = tmp_path / "ha-log"
    log.write_text("Nov 24 21:00:23 node1 heartbeat: [10864]: WARN: node node2: is dead\n")
    _, out, _ = run("check", "--offline", "--format", "json", str(node))
    assert "HL110" in {f["rule"] for f in json.loads(out)["findings"]}
    (tmp_path / ".halint.toml").write_text('ignore = ["HL110"]\noffline = true\n')
    _, out, _ = run("check", "--format", "json", str(node))
    assert "HL110" not in {f["rule"] for f in json.loads(out)["findings"]}
    _, out, _ = run("diagnose", "--format", "json", "--config", str(node), str(log))
    related = [r for d in json.loads(out)["diagnoses"] for r in d["related"]]
    assert related == []  # HL110 is what HL702 relates to: ignored here too
    (tmp_path / ".halint.toml").write_text("offline = true\n")
    _, out, _ = run("diagnose", "--format", "json", "--config", str(node), str(log))
    related = [r["rule"] for d in json.loads(out)["diagnoses"] for r in d["related"]]
    assert "HL110" in related


def test_a_live_run_says_which_node_was_checked_against_this_host(tmp_path: Path) -> None:
    tree = shop_and_db(tmp_path)
    _, out, _ = run("check", "--node", "node2", str(tree))
    assert (
        f"the live rules (HL6xx) ran for {tree / 'shop' / 'node2' / 'ha.d'}: this host is node2"
        in out
    )
    assert "the live rules (HL6xx) did not run: none of these nodes is this host (node2" in out
    data = json.loads(run("check", "--node", "node2", "--format", "json", str(tree))[1])
    assert [c["live"] for c in data["clusters"]] == [None, str(tree / "shop" / "node2" / "ha.d")]


def test_kind_checks_a_file_of_another_name_against_its_context(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d")
    temporary = tmp_path / "tmp" / ".ansible_tmpXYZsource"
    temporary.parent.mkdir()
    temporary.write_text("node3 IPaddr::192.168.1.100/24/eth0\n")
    args = ("--kind", "haresources", "--context", str(node), str(temporary))
    code, out, _ = run("check", "--offline", *args)
    assert code == 1
    assert f"{temporary}:1:1: error HL301 `node3` is not a `node` of ha.cf" in out
    assert "HL401" not in out  # the context's own files are not what is checked
    temporary.write_text("node2 IPaddr::192.168.1.100/24/eth0\n")
    assert run("check", "--offline", *args)[0] == 0


def test_kind_without_context_offline_judges_the_file_alone(tmp_path: Path) -> None:
    temporary = tmp_path / "source"
    temporary.write_text(GOOD_HACF.replace("deadtime 30", "deadtime 30s"))
    code, out, _ = run("check", "--offline", "--kind", "ha.cf", str(temporary))
    assert code == 1
    assert "error HL102 deadtime `30s`" in out
    assert "HL401" not in out and "authkeys" not in out


def test_kind_reads_standard_input(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from halint.cli import cli

    result = CliRunner().invoke(
        cli,
        ["check", "--offline", "--kind", "authkeys", "-"],
        input="auth 1\n1 sha256 5a9c0e27d1f84b36a0c2\n",
    )
    assert result.exit_code == 1
    assert "<stdin>:2:3: error HL203" in result.stdout
    assert "5a9c0e27d1f84b36a0c2" not in result.stdout


def test_the_temporary_copys_mode_is_not_judged(tmp_path: Path) -> None:
    temporary = tmp_path / "source"
    temporary.write_text(GOOD_AUTHKEYS)
    os.chmod(temporary, 0o644)
    code, out, _ = run("check", "--node", "node1", "--kind", "authkeys", str(temporary))
    assert "HL601" not in out
    assert code == 0, out


def test_kind_and_context_misuse_are_usage_errors(tmp_path: Path) -> None:
    code, _, err = run("check", "--offline", "-")
    assert code == 2 and "say which file it is with --kind" in err
    code, _, err = run("check", "--offline", "--context", str(tmp_path), str(tmp_path))
    assert code == 2 and "--context goes with --kind" in err
    code, _, err = run("check", "--offline", "--kind", "ha.cf", str(tmp_path))
    assert code == 2 and "a folder; --kind ha.cf takes one file" in err
    code, _, err = run("check", "--offline", "--kind", "ha.cf", "a", "b")
    assert code == 2 and "checks one file (or -), not 2 paths" in err


def test_a_resource_script_path_checks_the_group_that_names_it(tmp_path: Path) -> None:
    node = make_node(tmp_path / "ha.d", haresources="node1 IPaddr::192.168.1.100/24/eth0 web.sh\n")
    script = node / "resource.d" / "web.sh"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\nexit 0\n")
    os.chmod(script, 0o644)
    code, out, _ = run("check", "--offline", str(script))
    assert code == 1
    assert f"{node / 'haresources'}:1:" in out and "HL304" in out

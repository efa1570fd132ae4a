"""Checking several nodes at once: how folders become nodes, and the cross-node findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_cli import GOOD_HACF, make_node, run

EXAMPLE = REPO / "examples" / "cluster"


def peer_hacf() -> str:
    return GOOD_HACF.replace("ucast eth0 192.168.1.2", "ucast eth0 192.168.1.1").replace(
        "ucast eth1 10.0.0.2", "ucast eth1 10.0.0.1"
    )


def two_nodes(tmp_path: Path, names: tuple[str, str] = ("node1", "node2"), **second: str) -> Path:
    make_node(tmp_path / names[0])
    make_node(tmp_path / names[1], hacf=second.pop("hacf", peer_hacf()), **second)
    return tmp_path


def rules_of(out: str) -> list[str]:
    return [f["rule"] for f in json.loads(out)["findings"]]


def test_matching_nodes_have_no_cross_node_findings(tmp_path: Path) -> None:
    root = two_nodes(tmp_path)
    code, out, _ = run(
        "check", "--offline", "--format", "json", str(root / "node1"), str(root / "node2")
    )
    document = json.loads(out)
    assert not [r for r in rules_of(out) if r.startswith("HL5")]
    assert document["nodes"] == [
        {
            "path": str(root / "node1"),
            "name": "node1",
            "identified_by": "the folder's name",
            "source": "folder-name",
        },
        {
            "path": str(root / "node2"),
            "name": "node2",
            "identified_by": "the folder's name",
            "source": "folder-name",
        },
    ]
    assert code == 0


def test_a_folder_of_node_folders_is_a_cluster(tmp_path: Path) -> None:
    root = two_nodes(tmp_path, authkeys="auth 1\n1 sha1 99999999999999999999abcd\n")
    code, out, _ = run("check", "--offline", "--format", "json", str(root))
    assert [n["name"] for n in json.loads(out)["nodes"]] == ["node1", "node2"]
    assert "HL501" in rules_of(out)
    assert code == 1


def test_authkeys_mismatch_points_at_both_nodes_and_never_shows_a_key(tmp_path: Path) -> None:
    secret = "0123456789abcdefSECRET"
    root = two_nodes(tmp_path, authkeys=f"auth 1\n1 sha1 {secret}\n")
    for output in ("json", "text"):
        _, out, err = run("check", "--offline", "--format", output, str(root))
        assert secret not in out + err
        assert "c2f0a9e47b1d83a65e0c" not in out + err
    _, out, _ = run("check", "--offline", "--format", "json", str(root))
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule"] == "HL501"]
    assert finding["path"] == str(root / "node2" / "authkeys")
    assert finding["node"] == "node2"
    assert finding["related"][0]["path"] == str(root / "node1" / "authkeys")
    assert finding["related"][0]["line"] == 2


def test_the_forgotten_ucast_edit(tmp_path: Path) -> None:
    root = two_nodes(tmp_path, hacf=GOOD_HACF)  # node2's ha.cf copied from node1 unchanged
    _, out, _ = run("check", "--offline", "--format", "json", str(root))
    hl504 = [f for f in json.loads(out)["findings"] if f["rule"] == "HL504"]
    assert [f["message"].split(" on ")[1][:4] for f in hl504] == ["eth0", "eth1"]
    assert all(f["severity"] == "error" and "become one node" in f["message"] for f in hl504)
    assert hl504[0]["related"][0]["path"] == str(root / "node1" / "ha.cf")


def test_a_ucast_line_to_the_node_itself_beside_the_peer_is_fine(tmp_path: Path) -> None:
    both = GOOD_HACF + "ucast eth0 192.168.1.1\n"
    root = two_nodes(tmp_path, hacf=both)
    make_node(root / "node1", hacf=both)
    _, out, _ = run("check", "--offline", "--format", "json", str(root))
    hl504 = [f for f in json.loads(out)["findings"] if f["rule"] == "HL504"]
    assert [f["severity"] for f in hl504] == ["warning"]  # only eth1 stays one-way


def test_haresources_timing_nodes_media_failback(tmp_path: Path) -> None:
    other = (
        peer_hacf()
        .replace("deadtime 30", "deadtime 20")
        .replace("auto_failback on", "auto_failback off")
        .replace("node node2", "node node3")
        + "udpport 695\n"
    )
    root = two_nodes(tmp_path, hacf=other, haresources="node2 IPaddr::192.168.1.100/24/eth0\n")
    _, out, _ = run("check", "--offline", "--format", "json", str(root))
    assert {"HL502", "HL503", "HL505", "HL506", "HL507"} <= set(rules_of(out))


def test_folders_that_say_nothing_are_named_by_elimination_or_with_as(tmp_path: Path) -> None:
    root = two_nodes(tmp_path, names=("a", "b"))
    _, out, _ = run("check", "--offline", str(root / "a"), str(root / "b"))
    assert f"{root / 'a'}: which node, not known" in out and "(unknown)" not in out
    assert f"Not known which nodes {root / 'a'} and {root / 'b'} hold" in out
    assert "each could be node1 or node2" in out
    assert f"Settle it with --as {root / 'a'}=node1 (the other is then the node left)" in out
    _, out, _ = run(
        "check", "--offline", "--as", f"{root / 'a'}=node1", str(root / "a"), str(root / "b")
    )
    assert "node1 (given with --as)" in out
    assert "node2 (the only declared node left)" in out
    code, _, err = run("check", "--as", "nonsense", str(root / "a"))
    assert code == 2 and "--as takes DIR=NODE" in err


def test_ucast_to_a_node_name_identifies_the_folder(tmp_path: Path) -> None:
    make_node(tmp_path / "x", hacf=GOOD_HACF.replace("ucast eth0 192.168.1.2", "ucast eth0 node2"))
    make_node(tmp_path / "y", hacf=GOOD_HACF.replace("ucast eth0 192.168.1.2", "ucast eth0 node1"))
    _, out, _ = run("check", "--offline", "--format", "json", str(tmp_path))
    assert [(n["name"], n["identified_by"]) for n in json.loads(out)["nodes"]] == [
        ("node1", "it unicasts to node2"),
        ("node2", "it unicasts to node1"),
    ]


def test_the_bundled_cluster_example(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "cluster")
    code, out, _ = run("check", "--offline", str(tmp_path / "cluster"))
    assert code == 1
    assert "HL501" in out and "HL504" in out


def test_one_node_of_two_labs_given_together_is_two_clusters(tmp_path: Path) -> None:
    """lab-a/node1 and lab-b/node1 on one command line: two copies of one node are of two
    clusters (told apart by the folders they sit in), not one cluster's two nodes to compare."""
    two_nodes(tmp_path / "lab-a")
    two_nodes(tmp_path / "lab-b", authkeys="auth 1\n1 sha1 0123456789abcdef0123\n")
    (tmp_path / "lab-b" / "node1" / "authkeys").write_text("auth 1\n1 sha1 0123456789abcdef0123\n")
    given = [str(tmp_path / "lab-a" / "node1"), str(tmp_path / "lab-b" / "node1")]
    code, out, _ = run("check", "--offline", "--format", "json", *given)
    document = json.loads(out)
    assert code == 0 and not [r for r in rules_of(out) if r.startswith("HL5")]
    assert len(document["clusters"]) == 2
    assert [n["name"] for n in document["nodes"]] == ["node1", "node1"]


@pytest.mark.parametrize("how", ["folder", "whole-cluster"])
def test_a_copy_beside_a_cluster_does_not_hide_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """node1.bak beside node1 and node2: the folders named exactly after the nodes are the
    cluster (their authkeys still compared, in a pre-commit run too), the copy is said."""
    import shutil

    root = two_nodes(tmp_path / "ha", authkeys="auth 1\n1 sha1 0123456789abcdef0123\n")
    shutil.copytree(root / "node1", root / "node1.bak")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    given = ["ha"] if how == "folder" else ["--whole-cluster", "ha/node2/authkeys"]
    code, out, err = run("check", "--offline", *given)
    assert code == 1 and "error HL501" in out
    if how == "folder":
        assert (
            "ha/node1.bak is named like a node of the cluster beside it (ha/node1, "
            "ha/node2), but not by that node's name (a copy?)" in out + err
        )


@pytest.mark.parametrize(
    ("second", "severity"),
    [
        ("auth 2\n2 sha1 c2f0a9e47b1d83a65e0c\n", "error"),  # no index 1 on node2: all dropped
        ("auth 2\n1 sha1 c2f0a9e47b1d83a65e0c\n2 sha1 c2f0a9e47b1d83a65e0c\n", None),
    ],
)
def test_the_same_secret_under_another_index(
    tmp_path: Path, second: str, severity: str | None
) -> None:
    """node1 signs with index 1; node2, with the same secret as index 2, drops every packet of
    node1 unless it has an index 1 too ("Invalid authentication [1] in message!")."""
    first = "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n2 sha1 c2f0a9e47b1d83a65e0c\n"
    root = two_nodes(tmp_path, authkeys=second)
    (root / "node1" / "authkeys").write_text(
        first if severity is None else "auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n"
    )
    out = run("check", "--offline", "--format", "json", str(root / "node1"), str(root / "node2"))[1]
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule"] == "HL501"]
    assert finding["severity"] == (severity or "warning")
    if severity:
        assert (
            'it drops every packet ("Invalid authentication [1] in message!")' in finding["message"]
        )


def test_an_as_that_names_no_folder_or_no_node_is_an_error(tmp_path: Path) -> None:
    """--as DIR=NODE: a DIR that is no node folder of the run, or a NODE its ha.cf does not
    declare, is a usage error, not ignored or taken; the folder above a node's ha.d works."""
    root = two_nodes(tmp_path)
    code, _, err = run("check", "--offline", "--as", f"{root}/node3=node1", str(root))
    assert code == 2 and "is no node folder this run checks" in err
    code, _, err = run("check", "--offline", "--as", f"{root}/node1=bogus", str(root))
    assert code == 2 and "its ha.cf declares no node bogus (nodes: node1, node2)" in err
    code, out, _ = run("check", "--offline", "--as", f"{root}/node1=node1", str(root))
    assert code == 0 and "node1 (given with --as)" in out

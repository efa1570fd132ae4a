"""Languages: the catalogue is complete and current, the language is chosen as gettext chooses
it (or with --lang), and a Chinese run says everything in Chinese while rule IDs, paths,
positions and Heartbeat's own words stay as they are."""

from __future__ import annotations

import ast
import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from halint.cli import cli
from halint.i18n import _, language, match, set_language
from tests.conftest import REPO

babel = pytest.importorskip("babel", reason="Babel is a test dependency (pip install -e '.[test]')")

from babel.messages.catalog import Catalog, Message  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

LOCALE = REPO / "halint" / "locale"
PO = LOCALE / "zh_CN" / "LC_MESSAGES" / "halint.po"
TUTORIAL = REPO / "examples" / "tutorial" / "ha.d"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Check modules whose messages are not wrapped yet (their findings stay English): none now.
UNWRAPPED_MODULES: set[str] = set()


def unwrapped_rules() -> set[str]:
    from halint.checks import load_all

    return {rule for rule, check in load_all().items() if check.__module__ in UNWRAPPED_MODULES}


def catalogue() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def messages() -> list[Message]:
    return [m for m in catalogue() if m.id]


def ids_of(message: Message) -> tuple[str, ...]:
    """The msgid, and its plural form if it has one."""
    value = message.id
    return (value,) if isinstance(value, str) else tuple(value)


def strings_of(message: Message) -> tuple[str, ...]:
    """The translation, or each plural form of it."""
    value = message.string
    if value is None:
        return ("",)
    return (value,) if isinstance(value, str) else tuple(value)


# --- the catalogue -------------------------------------------------------------------------


def test_the_committed_template_is_what_extraction_finds_now() -> None:
    """Stale when a wrapped message or a rule text changed and the catalogue was not
    refreshed: `python -m halint.i18n_extract`."""
    result = subprocess.run(
        [sys.executable, "-m", "halint.i18n_extract", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, (
        "halint/locale/halint.pot is stale: run `python -m halint.i18n_extract` and translate "
        "what it lists\n" + result.stdout + result.stderr
    )


def test_the_translation_has_every_message_of_the_template() -> None:
    with (LOCALE / "halint.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in messages()}
    assert template - translated == set(), "run `python -m halint.i18n_extract` to update"


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    missing = []
    for message in messages():
        strings = strings_of(message)
        if message.fuzzy or not all(s.strip() for s in strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    assert missing == [], f"{len(missing)} messages untranslated or fuzzy: {missing[:10]}"


def _fields(text: str) -> set[str]:
    return {
        f"{name}{'!' + conversion if conversion else ''}"
        for _, name, _, conversion in string.Formatter().parse(text)
        if name is not None
    }


def test_every_translation_has_its_messages_placeholders() -> None:
    """A translation that drops `{path}`, renames it or adds one would crash or lie."""
    wrong = []
    for message in messages():
        ids = ids_of(message)
        strings = strings_of(message)
        if "python-brace-format" not in message.flags and not any("{" in i for i in ids):
            continue
        wanted = set().union(*(_fields(i) for i in ids))
        for translated in strings:
            got = _fields(translated)
            ok = got == wanted if len(ids) == 1 else got <= wanted and _fields(ids[0]) <= got
            if not ok:
                wrong.append((ids[0], translated))
    assert wrong == []


def test_commands_and_directives_in_backticks_stay_english() -> None:
    """What the admin types (`chmod 600 ...`, `auto_failback on`) is the same in every
    language: every backticked word of the English is in the translation (a `<placeholder>`
    in it may be said in Chinese)."""

    def typed(text: str) -> set[str]:
        return {
            re.sub(r"<[^>]*>", "<>", " ".join(span.split()))
            for span in re.findall(r"`([^`]+)`", text)
        }

    changed = []
    for message in messages():
        if not isinstance(message.id, str):
            continue
        english, chinese = typed(message.id), typed(strings_of(message)[0])
        if english - chinese:
            changed.append((message.id[:60], sorted(english - chinese)))
    assert changed == []


def test_the_wrapped_messages_are_literal_strings() -> None:
    """`_(f"...")` would be looked up after formatting and never found."""
    bad = []
    for path in (REPO / "halint").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and node.args
                and not all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str)
                    for a in node.args[: 2 if node.func.id == "ngettext" else 1]
                )
            ):
                bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    # docs.shown() and the option/command classes translate texts that are literals elsewhere
    allowed = {"halint/docs.py", "halint/cli.py"}
    assert [b for b in bad if b.split(":")[0] not in allowed] == []


def test_clicks_own_words_are_the_ones_click_looks_up() -> None:
    """halint/click_words.py lists click's messages so that they are translated; each must be
    one of the installed click's own msgids."""
    import click
    from babel.messages.extract import extract_from_dir

    clicks = set()
    for _name, _line, message, _comments, _context in extract_from_dir(Path(click.__file__).parent):
        clicks.add(message if isinstance(message, str) else message[0])
    from halint import click_words

    ours = set(click_words.CLICK_WORDS)
    tree = ast.parse(Path(click_words.__file__).read_text(encoding="utf-8"))
    plurals = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "ngettext"
        and isinstance(node.args[0], ast.Constant)
    }
    assert (ours | plurals) - clicks == set()


# --- choosing the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "chosen"),
    [
        ("zh_CN", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh_CN.GB18030", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh-CN", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh-hans-cn", "zh_CN"),
        ("zh_SG.UTF-8", "zh_CN"),
        ("zh_CN@pinyin", "zh_CN"),
        ("zh_TW.UTF-8", None),  # Traditional: no catalogue, as gettext (English)
        ("zh-Hant", None),
        ("fr_FR.UTF-8", None),
        ("en_US.UTF-8", "en"),
        ("C.UTF-8", "en"),
        ("POSIX", "en"),
    ],
)
def test_locale_names_map_as_gettext_maps_them(value: str, chosen: str | None) -> None:
    assert match(value) == chosen


@pytest.mark.parametrize(
    ("environment", "chosen"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh_CN"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, None),  # LC_ALL wins
        ({"LANGUAGE": "zh_CN", "LC_ALL": "en_US.UTF-8"}, "zh_CN"),  # LANGUAGE first
        ({"LANGUAGE": "fr:zh_CN:en", "LANG": "C"}, "zh_CN"),  # a list: the first we have
        ({"LANGUAGE": "en:zh_CN"}, None),  # English is halint's own
        ({"LANGUAGE": "", "LANG": "zh_CN.UTF-8"}, "zh_CN"),  # empty is unset
        ({"LANG": "fr_FR.UTF-8"}, None),
        ({}, None),
    ],
)
def test_the_environment_chooses_as_gettext_does(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], chosen: str | None
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    set_language(None)  # read the environment again
    assert language() == chosen


def test_lang_overrides_the_environment_and_says_what_it_knows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = CliRunner().invoke(cli, ["--lang", "en", "explain", "HL601"])
    assert "Why:" in result.output and not HAN.search(result.output)
    result = CliRunner().invoke(cli, ["--lang", "fr", "rules"])
    assert result.exit_code == 2
    assert "en and zh_CN" in result.output


def test_english_opens_no_catalogue() -> None:
    """An English run pays nothing for the translations: the catalogue is never read."""
    code = (
        "import halint.i18n as i; i._('Why:'); i.ngettext('a', 'b', 2);"
        "from halint.cli import cli;"
        "assert i._catalogue.cache_info().currsize == 0, 'a catalogue was opened'"
    )
    env = {"PATH": "/usr/bin:/bin", "LANG": "en_US.UTF-8"}
    result = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, check=False)
    assert result.returncode == 0


# --- what a Chinese-speaking admin sees ----------------------------------------------------


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", **env}
    return subprocess.run(
        [sys.executable, "-m", "halint", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO,
        check=False,
    )


def test_diagnose_speaks_chinese_and_keeps_ids_and_the_log_lines() -> None:
    """A Chinese run of diagnose: titles, causes, fixes, labels and the summary in Chinese; the
    rule IDs, severities and the evidence (the log's own lines) exactly as in English."""
    logs = sorted(str(p) for p in (REPO / "tests" / "fixtures" / "logs" / "dead-peer").glob("*"))
    chinese = run(["--lang", "zh_CN", "diagnose", *logs])
    english = run(["diagnose", *logs])
    assert chinese.returncode == english.returncode, chinese.stderr
    heads = re.compile(r"^(error|warning|info) (HL7\d\d) (.*)$")
    zh_heads = [m for m in map(heads.match, chinese.stdout.splitlines()) if m]
    en_heads = [m for m in map(heads.match, english.stdout.splitlines()) if m]
    assert [m.group(2) for m in zh_heads] == [m.group(2) for m in en_heads] != []
    assert [m.group(1) for m in zh_heads] == [m.group(1) for m in en_heads]
    assert all(HAN.search(m.group(3)) for m in zh_heads), chinese.stdout
    evidence = [line for line in english.stdout.splitlines() if "heartbeat: [" in line]
    assert evidence and all(line in chinese.stdout.splitlines() for line in evidence)
    for label in ("原因", "修复", "诊断"):
        assert label in chinese.stdout
    assert "cause:" not in chinese.stdout and "cause:" in english.stdout


def test_check_speaks_chinese_with_lang_and_keeps_ids_paths_and_heartbeats_words() -> None:
    result = run(["--lang", "zh_CN", "check", "--offline", str(TUTORIAL)])
    english = run(["check", "--offline", str(TUTORIAL)])
    assert result.returncode == english.returncode == 1
    chinese_lines = result.stdout.splitlines()
    english_lines = english.stdout.splitlines()
    assert len(chinese_lines) == len(english_lines)
    head = re.compile(r"^(\S+:\d+:\d+: \w+ (HL\d{3})) (.*)$")
    heads = 0
    unwrapped = unwrapped_rules()
    for zh, en in zip(chinese_lines, english_lines, strict=True):
        zh_match, en_match = head.match(zh), head.match(en)
        if en_match is None:
            continue
        assert zh_match is not None and zh_match.group(1) == en_match.group(1)  # ID, path, place
        if en_match.group(2) in unwrapped:
            continue
        heads += 1
        assert HAN.search(zh_match.group(3)), zh
        for quoted in re.findall(r'Heartbeat: "([^"]+)"', en_match.group(3)):
            assert f'"{quoted}"' in zh_match.group(3)  # Heartbeat's own words, untranslated
    assert heads >= 2
    fixes = [line for line in chinese_lines if "= " in line and ("修复" in line)]
    assert fixes, result.stdout
    assert any(line.startswith("发现") for line in chinese_lines[-2:])  # the summary line


def test_what_the_readers_could_not_read_is_said_in_chinese(tmp_path: Path) -> None:
    """HL200 and HL300 judge the readers' facts: in Chinese, with Heartbeat's own message
    quoted as the daemon logs it."""
    import shutil

    node = tmp_path / "ha.d"
    shutil.copytree(TUTORIAL, node)
    (node / "authkeys").write_text("Auth 1\n1 sha1 c2f0a9e47b1d83a65e0c\n", encoding="utf-8")
    (node / "haresources").write_text("node1 IPaddr::::192.168.1.100/24/eth0\n", encoding="utf-8")
    result = run(["--lang", "zh_CN", "check", "--offline", "--select", "HL200,HL300", str(node)])
    lines = [line for line in result.stdout.splitlines() if " HL200 " in line or " HL300 " in line]
    assert len(lines) == 2, result.stdout
    authkeys, haresources = sorted(lines)
    assert HAN.search(authkeys) and 'Heartbeat："Auth line [...] is invalid."' in authkeys
    assert HAN.search(haresources) and "`IPaddr::::192.168.1.100/24/eth0`" in haresources


def test_the_environment_alone_turns_check_json_and_sarif_chinese() -> None:
    result = run(["check", "--offline", "--format", "json", str(TUTORIAL)], LANG="zh_CN.UTF-8")
    document = json.loads(result.stdout)
    assert document["language"] == "zh-CN"
    wrapped = [f for f in document["findings"] if f["rule"] not in unwrapped_rules()]
    assert wrapped and all(HAN.search(f["message"]) for f in wrapped)
    assert all(re.fullmatch(r"HL\d{3}", f["rule"]) for f in document["findings"])
    english = json.loads(run(["check", "--offline", "--format", "json", str(TUTORIAL)]).stdout)
    assert english["language"] == "en-US"
    assert [f["rule"] for f in english["findings"]] == [f["rule"] for f in document["findings"]]
    sarif = json.loads(
        run(["check", "--offline", "--format", "sarif", str(TUTORIAL)], LANGUAGE="zh_CN").stdout
    )
    assert sarif["runs"][0]["language"] == "zh-CN"
    results = sarif["runs"][0]["results"]
    assert any(HAN.search(r["message"]["text"]) for r in results)
    assert HAN.search(sarif["runs"][0]["tool"]["driver"]["rules"][0]["shortDescription"]["text"])


def test_explain_and_rules_speak_chinese() -> None:
    result = run(["explain", "HL601"], LANG="zh_CN.UTF-8")
    assert result.returncode == 0
    assert "# HL601 authkeys-permissions" in result.stdout
    assert "原因：" in result.stdout and "修复：" in result.stdout
    assert "`chmod 600 /etc/ha.d/authkeys`" in result.stdout
    assert "    Bad permissions on keyfile [%s], 600 recommended." in result.stdout
    rules = run(["rules"], LANGUAGE="zh_CN")
    assert all(HAN.search(line) for line in rules.stdout.splitlines())


def test_help_and_clicks_own_words_speak_chinese() -> None:
    top = run(["--help"], LANG="zh_CN.UTF-8")
    assert "用法:" in top.stdout and "选项:" in top.stdout and "命令:" in top.stdout
    assert "显示此帮助信息并退出。" in top.stdout
    # --lang read with the group's own options: click's --help and --version follow it too
    top = run(["--lang", "zh_CN", "--help"])
    assert "显示此帮助信息并退出。" in top.stdout and "显示版本并退出。" in top.stdout
    assert "Show th" not in top.stdout
    check = run(["--lang", "zh_CN", "check", "--help"])
    assert "--offline" in check.stdout and "不使用本机的任何信息" in check.stdout
    wrong = run(["--lang", "zh_CN", "check", "--no-such-option"])
    assert wrong.returncode == 2 and "错误：" in wrong.stderr and "--no-such-option" in wrong.stderr
    ours = run(["--lang", "zh_CN", "check", "--select", "XX1"])
    assert ours.returncode == 2 and "halint：错误：" in ours.stderr and "`XX1`" in ours.stderr


def test_english_output_is_unchanged_by_the_catalogue() -> None:
    """English is the messages as written: no catalogue, byte for byte the same as
    --lang en, and no Chinese anywhere."""
    plain = run(["check", "--offline", str(TUTORIAL)])
    explicit = run(["--lang", "en", "check", "--offline", str(TUTORIAL)], LANG="zh_CN.UTF-8")
    assert plain.stdout == explicit.stdout
    assert not HAN.search(plain.stdout)
    assert any(line.startswith("Found ") for line in plain.stdout.splitlines()[-2:])


def test_docs_rules_md_stays_english_in_a_chinese_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from halint.docs import render_catalogue

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    set_language(None)
    assert render_catalogue() == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert HAN.search(_("Why:"))  # the environment is Chinese, the document is not
    set_language(None)


# --- diagnose over every fixture log, in Chinese -------------------------------------------

LOG_FIXTURES = sorted(p for p in (REPO / "tests" / "fixtures" / "logs").iterdir() if p.is_dir())
# Three English words or more in a row: a sentence halint left untranslated.
ENGLISH_WORDS = re.compile(r"\b[A-Za-z]+(?:[ ,'-]+[A-Za-z]+){2,}\b")
QUOTED = re.compile(r"`[^`]*`|\"[^\"]*\"|“[^”]*”")


def english_left(text: str, logged: str) -> list[str]:
    """The English sentences in `text` outside backticks and quotes (what is typed, what
    Heartbeat said) that the log itself did not write (a node's, a resource's or Heartbeat's
    own words)."""
    return [m.group(0) for m in ENGLISH_WORDS.finditer(QUOTED.sub(" ", text)) if m[0] not in logged]


def diagnose_in(lang: str, folder: Path, form: str) -> str:
    logs = [str(p) for p in sorted(folder.iterdir()) if p.is_file()]
    args = ["--lang", lang, "diagnose", "--jobs", "1", "--exit-zero", "--format", form, *logs]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def logged_words(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in folder.iterdir())


@pytest.mark.parametrize("folder", LOG_FIXTURES, ids=lambda p: p.name)
def test_diagnose_leaves_nothing_english_in_chinese_but_the_logs_own_words(folder: Path) -> None:
    """Every line of a Chinese diagnose report — titles, causes, fixes, the notes a diagnosis
    adds, the timeline's events and details, the notes on the run, the summary — is Chinese,
    but for what the log wrote (nodes, resources, Heartbeat's own words) and what is typed."""
    logged = logged_words(folder)
    text = diagnose_in("zh_CN", folder, "text")
    evidence = re.compile(r"^ {4}\S+:\d+: ")  # the log's own lines, quoted as evidence
    left = [
        (line, english_left(line, logged))
        for line in text.splitlines()
        if not evidence.match(line) and english_left(line, logged)
    ]
    assert left == []
    assert HAN.search(text.splitlines()[-1])  # the summary


@pytest.mark.parametrize("folder", LOG_FIXTURES, ids=lambda p: p.name)
def test_diagnose_json_in_chinese_says_so_and_keeps_what_scripts_key_on(folder: Path) -> None:
    """The JSON of a Chinese run: `language` zh-CN; the notes and the timeline's details in
    Chinese (where halint wrote them, not the log); rules, events, nodes, times, paths, lines
    and evidence exactly as in English."""
    chinese = json.loads(diagnose_in("zh_CN", folder, "json"))
    english = json.loads(diagnose_in("en", folder, "json"))
    assert (chinese["language"], english["language"]) == ("zh-CN", "en-US")
    logged = logged_words(folder)
    same = ("rule", "name", "severity", "count", "first", "last", "nodes", "evidence")
    for zh, en in zip(chinese["diagnoses"], english["diagnoses"], strict=True):
        assert [zh[k] for k in same] == [en[k] for k in same]
        assert len(zh["details"]) == len(en["details"])
        for text in (zh["title"], zh["fix"], *zh["details"]):
            assert english_left(text, logged) == [], text
        assert all(HAN.search(note) for note in zh["details"])
    keys = ("time", "node", "event", "path", "line")
    for zh, en in zip(chinese["timeline"], english["timeline"], strict=True):
        assert [zh[k] for k in keys] == [en[k] for k in keys]
        assert english_left(zh["detail"], logged) == [], zh
        if en["detail"] not in logged:  # halint's words, not the log's
            assert HAN.search(zh["detail"]), zh
    assert chinese["notes"] == [] or all(HAN.search(note) for note in chinese["notes"])
    assert len(chinese["notes"]) == len(english["notes"])


def _timeline_in(lang: str, log: Path) -> list[dict[str, str]]:
    args = ["--lang", lang, "diagnose", "--jobs", "1", "--exit-zero", "--format", "json", str(log)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["timeline"])


def test_a_timeline_detail_is_said_with_its_own_values_whatever_they_hold(tmp_path: Path) -> None:
    """A detail is translated from the values it was made of, not read back from the English:
    a group whose resources hold the template's own words keeps them as values."""
    log = tmp_path / "ha-log"
    log.write_text(
        "heartbeat[2301]: 2026/11/24_23:14:00 info: Link node2:eth1 up.\n"
        "ResourceManager(default)[2302]: 2026/11/24_23:14:06 info: Acquiring resource group: "
        "node1 10.0.0.5 (preferred node evil)\n"
    )
    english = [entry["detail"] for entry in _timeline_in("en", log)]
    chinese = [entry["detail"] for entry in _timeline_in("zh_CN", log)]
    assert english == [
        "node2 via eth1",
        "10.0.0.5 (preferred node evil) (preferred node node1)",
    ]
    assert chinese == [
        "node2（经由 eth1）",
        "10.0.0.5 (preferred node evil)（首选节点 node1）",
    ]


def test_a_translation_that_names_another_value_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken translation (a placeholder the English has not) costs the translation of
    that one detail, never the report."""
    from halint.logs import timeline

    entry = timeline.TimelineEntry("", "node2", "link-up", "", "log", 1)
    entry.say("{peer} via {iface}", peer="node1", iface="eth1")
    set_language("zh_CN")
    assert timeline.shown_detail(entry) == "node1（经由 eth1）"
    monkeypatch.setattr(timeline, "translate", lambda text: "{peer} 经由 {interface}")
    assert timeline.shown_detail(entry) == "node1 via eth1"


@pytest.mark.parametrize(
    ("args", "state"),
    [
        (["diagnose", *map(str, sorted((REPO / "tests/fixtures/logs/dead-peer").glob("*")))], 2),
        (["diagnose", *map(str, sorted((REPO / "tests/fixtures/logs/planned-stop").glob("*")))], 0),
        (["check", "--offline", str(TUTORIAL)], 2),
        (
            [
                "diagnose",
                "--since",
                "2020-01-01",
                *map(str, sorted((REPO / "tests/fixtures/logs/dead-peer").glob("*"))),
            ],
            2,
        ),
        (
            [
                "diagnose",
                "--since",
                "15m",
                *map(str, sorted((REPO / "tests/fixtures/logs/planned-stop").glob("*"))),
            ],
            0,
        ),
    ],
    ids=["diagnose-critical", "diagnose-ok", "check-critical", "since-a-time", "in-the-last"],
)
def test_nagios_in_chinese_keeps_its_prefix_states_and_perfdata(
    args: list[str], state: int
) -> None:
    """Monitoring parses `HALINT <STATE>:`, the detail lines' severity and rule, and the
    performance data: the same in every language; only the text after the prefix is Chinese."""
    command, rest = args[0], args[1:]
    chinese = run(["--lang", "zh_CN", command, "--format", "nagios", *rest])
    english = run([command, "--format", "nagios", *rest])
    assert chinese.returncode == english.returncode == state
    status = re.compile(r"^HALINT (OK|WARNING|CRITICAL|UNKNOWN): (.*) \| (.*)$")
    zh, en = (
        status.match(chinese.stdout.splitlines()[0]),
        status.match(english.stdout.splitlines()[0]),
    )
    assert zh is not None and en is not None, chinese.stdout
    assert zh.group(1) == en.group(1) == ("OK", "WARNING", "CRITICAL")[state]
    assert zh.group(3) == en.group(3)  # perfdata: labels and values
    assert HAN.search(zh.group(2)) and not HAN.search(en.group(2))
    assert english_left(zh.group(2), "") == []
    detail = re.compile(r"^(error|warning) (HL\d{3}) ")
    zh_lines, en_lines = chinese.stdout.splitlines()[1:], english.stdout.splitlines()[1:]
    assert len(zh_lines) == len(en_lines)
    for zh_line, en_line in zip(zh_lines, en_lines, strict=True):
        zh_head, en_head = detail.match(zh_line), detail.match(en_line)
        assert zh_head is not None and en_head is not None
        assert zh_head.group(0) == en_head.group(0) and HAN.search(zh_line)


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "--since", "yesterday", "ha-log"],
        ["diagnose", "--since", "2026-11-24", "--until", "2026-11-20", "ha-log"],
        ["diagnose", "."],
        ["diagnose", "damaged.gz"],
        ["diagnose", "missing-log"],
    ],
    ids=["not-a-time", "until-before-since", "a-folder", "a-damaged-log", "a-missing-log"],
)
def test_diagnoses_own_errors_speak_chinese(args: list[str], tmp_path: Path) -> None:
    """A log diagnose cannot read and a window it cannot take are halint's own errors: said
    in the chosen language, one line, exit 2, the value typed kept as typed."""
    (tmp_path / "ha-log").write_text("")
    (tmp_path / "damaged.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"junk" * 20)
    args = [
        str(tmp_path / arg) if arg in ("ha-log", ".", "damaged.gz", "missing-log") else arg
        for arg in args
    ]
    chinese = run(["--lang", "zh_CN", *args])
    english = run(args)
    assert chinese.returncode == english.returncode == 2
    assert chinese.stderr.startswith("halint：错误：") and len(chinese.stderr.splitlines()) == 1
    assert HAN.search(chinese.stderr.split("：", 2)[2]), chinese.stderr
    said = chinese.stderr.strip()
    if args[-1].endswith(".gz"):  # the decompressor's own words, in brackets, as it says them
        said = re.sub(r"（[^）]*）$", "", said)
    assert english_left(said, " ".join(args)) == [], chinese.stderr
    for typed in args[1:]:
        if typed.startswith(("yesterday", "2026")):
            assert typed in chinese.stderr


def test_the_progress_line_speaks_chinese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line a long diagnose keeps refreshing on a terminal, with its plural."""
    from halint.logs import run as running

    clock = iter([0.0, 2.0, 4.0])
    monkeypatch.setattr(running.time, "monotonic", lambda: next(clock))
    meter = running._Progress()
    meter.tick(1)
    set_language("zh_CN")
    meter.tick(12)
    shown = capsys.readouterr().err.split("\r")[1:]
    assert shown == [
        "halint: 1 Heartbeat line, 2 s ...",
        "halint: 已读 12 行 Heartbeat 日志，4 秒 ……",
    ]


def test_a_chinese_sentence_ends_with_a_chinese_full_stop(tmp_path: Path) -> None:
    from tests.test_cli import GOOD_HACF, make_node

    node = make_node(tmp_path / "ha.d", hacf=GOOD_HACF.replace("deadtime 30", "deadtime 30s"))
    result = run(["--lang", "zh_CN", "check", "--offline", str(node)])
    (line,) = [line for line in result.stdout.splitlines() if " HL102 " in line]
    assert "毫秒。" in line and "毫秒." not in line

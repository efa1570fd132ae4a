"""Follow a parsed shell script the way ResourceManager's calls would go through it.

Nothing runs: the syntax tree is walked once per action (start, stop, status) with the action's
value known and everything else unknown. Where a condition cannot be decided, both ways are
followed; each way ("path") records what it prints, on which stream, and how it ends (an explicit
`exit N`, or the status of its last command). The work is bounded: at most MAX_PATHS ways per
action and MAX_STEPS statements per action; past that the branch is marked incomplete and the
rules say nothing about it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from halint.models import ActionBranch, Dispatch, ScriptPath, ScriptText, Span, Word
from halint.regex import compiled
from halint.scripts.resourcemanager import ACTIONS

if TYPE_CHECKING:
    from tree_sitter import Node

Stream = Literal["stdout", "stderr", "null"]
UNKNOWN = "\x00"
MAX_PATHS = 64
MAX_STEPS = 20000
MAX_DEPTH = 12
_POSITIONAL = compiled(r"^\$\{?([1-9])\}?$")
_VARIABLE = compiled(r'^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$')  # `$rc`, `"${rc}"`
_EVAL_ASSIGNMENT = compiled(r"^['\"]?([A-Za-z_][A-Za-z0-9_]*)=")
# A command name built around the action: `"$1"`, `"do_$1"`, `${1}_action` (prefix, suffix)
_CALL_TEMPLATE = compiled(r"^([A-Za-z0-9_]*)\$\{?[1-9#@]\}?([A-Za-z0-9_]*)$")
_LAST_ARGUMENT = compiled(r"\$\{!#\}|\$\{@: ?-1\}|\$\{@:\$#\}|\$\{\*: ?-1\}|\\\$\$#")
# Commands whose standard output is known well enough to classify a status.
_SILENT = frozenset(
    {
        "true",
        "false",
        ":",
        "test",
        "[",
        "[[",
        "sleep",
        "rm",
        "mkdir",
        "rmdir",
        "touch",
        "cd",
        "export",
        "local",
        "set",
        "shift",
        "unset",
        "readonly",
        "kill",
        "chmod",
        "chown",
        "ln",
        "cp",
        "mv",
        "umask",
        "trap",
        "wait",
        "exec",
        "logger",
        "ulimit",
        "renice",
        "nohup",
    }
)
_SERVICE_ACTIONS = frozenset(
    {"start", "stop", "restart", "reload-or-restart", "try-restart", "is-active", "status"}
)


def _merged(ways: list[_Way]) -> list[_Way]:
    """Ways that differ only in the tests they passed are one way on: a script that checks
    ten settings (`if [ -f /etc/default/web ]; then . ...; fi`) would otherwise make 1024 ways
    of the same. The merged way keeps the tests all of them passed."""
    if len(ways) < 2:
        return ways
    kept: dict[tuple[object, ...], _Way] = {}
    for way in ways:
        key = (
            *way.outcome(),
            way.ended,
            way.returned,
            id(way.last),
            id(way.end),
            tuple(sorted(way.codes.items())),
        )
        same = kept.get(key)
        if same is None:
            kept[key] = way
        elif same.guards != way.guards:
            common = set(way.guards)
            same.guards = [g for g in same.guards if g in common]
    return list(kept.values())


def _bare(word: str) -> str:
    """`"${1}"` -> `$1`: a parameter's expansion as written, without quotes and braces."""
    return word.strip('"').replace("{", "").replace("}", "")


def _descendants(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


class _Way:
    """One way through a script for one action: what it printed (and whether something unknown
    was printed), the tests it passed, its last statement, how and whether it ended."""

    __slots__ = (
        "codes",
        "end",
        "ended",
        "exit_code",
        "explicit_exit",
        "guards",
        "last",
        "printed",
        "returned",
        "unknown_output",
    )

    def __init__(self) -> None:
        self.printed: list[ScriptText] = []
        self.unknown_output = False
        self.guards: list[str] = []
        self.last: Node | None = None
        self.exit_code: int | None = None
        self.explicit_exit = False
        self.ended = False
        self.returned = False
        self.end: Node | None = None
        self.codes: dict[str, int] = {}  # variables set to a number on this way (`rc=7`)

    def outcome(self) -> tuple[object, ...]:
        """What the way printed and how it ends, as far as the rules look at it."""
        printed = tuple((t.text, t.stream) for t in self.printed)
        return (printed, self.unknown_output, self.exit_code, self.explicit_exit)

    def fork(self) -> _Way:
        other = _Way()
        other.printed = list(self.printed)
        other.unknown_output = self.unknown_output
        other.guards = list(self.guards)
        other.last = self.last
        other.exit_code = self.exit_code
        other.explicit_exit = self.explicit_exit
        other.ended = self.ended
        other.returned = self.returned
        other.end = self.end
        other.codes = dict(self.codes)
        return other


class Budget(Exception):
    """Too many ways or statements: the branch is marked incomplete."""


class Script:
    """A parsed script: its functions, its dispatch, and the ways through it per action."""

    def __init__(self, root: Node, data: bytes, path: str) -> None:
        self.root = root
        self.data = data
        self.path = path
        self._line_starts = [0]
        for index, byte in enumerate(data):
            if byte == 10:
                self._line_starts.append(index + 1)
        self._pattern_cache: dict[int, list[str]] = {}
        self.functions: dict[str, Node] = {}
        self.assignments: dict[str, list[Node]] = {}
        self.commands: list[Node] = []
        self.shifts: list[Node] = []  # the `shift` commands, in order
        self._collect(root)
        self.dispatch_nodes: set[int] = set()  # case statements and tests that read the action
        self.catch_all = False
        self.dispatch: Dispatch | None = self._find_dispatch()
        self._steps = 0

    # --- positions and text --------------------------------------------------------------

    def text(self, node: Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogateescape")

    def _column(self, row: int, byte_column: int) -> int:
        start = self._line_starts[row] if row < len(self._line_starts) else 0
        prefix = self.data[start : start + byte_column]
        return len(prefix.decode("utf-8", "surrogateescape")) + 1

    def span(self, node: Node) -> Span:
        (row, col), (end_row, end_col) = node.start_point, node.end_point
        return Span.model_construct(
            path=self.path,
            line=row + 1,
            column=self._column(row, col),
            end_line=end_row + 1,
            end_column=self._column(end_row, end_col),
        )

    def word(self, node: Node) -> Word:
        return Word.model_construct(text=self.text(node)[:200], span=self.span(node))

    # --- what the script contains ---------------------------------------------------------

    def _collect(self, root: Node) -> None:
        stack = [root]
        while stack:
            node = stack.pop()
            kind = node.type
            if kind == "function_definition":
                name = node.child_by_field_name("name")
                if name is not None:
                    self.functions.setdefault(self.text(name), node)
            elif kind == "variable_assignment":
                name = node.child_by_field_name("name")
                value = node.child_by_field_name("value")
                if name is not None and value is not None:
                    self.assignments.setdefault(self.text(name), []).append(value)
            elif kind == "command":
                self.commands.append(node)
                self._collect_eval(node)
            stack.extend(reversed(node.children))
        self.commands.sort(key=lambda n: n.start_byte)
        self.shifts = [c for c in self.commands if self.command_name(c) == "shift"]

    def _collect_eval(self, command: Node) -> None:
        """`eval action=\\${$#}` (the portable way to read the last argument) assigns too."""
        if self.command_name(command) != "eval":
            return
        for argument in self.arguments(command):
            assigned = _EVAL_ASSIGNMENT.match(self.text(argument))
            if assigned is not None:
                self.assignments.setdefault(assigned.group(1), []).append(argument)

    def command_name(self, command: Node) -> str:
        name = command.child_by_field_name("name")
        return self.text(name) if name is not None else ""

    def arguments(self, command: Node) -> list[Node]:
        return [
            c
            for i, c in enumerate(command.children)
            if command.field_name_for_child(i) == "argument"
        ]

    def services_started(self) -> list[Word]:
        """Services the script manages through the service manager (systemctl, service,
        /etc/init.d/NAME, invoke-rc.d), in the order it names them."""
        found: list[Word] = []
        for command in self.commands:
            name = self.command_name(command)
            args = [self.literal(a) for a in self.arguments(command)]
            service: Node | None = None
            nodes = self.arguments(command)
            if name.endswith("systemctl"):
                words = [(a, n) for a, n in zip(args, nodes, strict=True) if not a.startswith("-")]
                if len(words) >= 2 and words[0][0] in _SERVICE_ACTIONS:
                    service = words[1][1]
            elif name.endswith("/service") or name in ("service", "invoke-rc.d"):
                if len(args) >= 2 and args[1] in _SERVICE_ACTIONS:
                    service = nodes[0]
            elif (
                compiled(r"^/etc/(rc\.d/)?init\.d/[^/]+$").match(name)
                and args
                and args[0] in _SERVICE_ACTIONS
            ):
                found.append(
                    Word.model_construct(text=name.rsplit("/", 1)[1], span=self.span(command))
                )
            if service is not None:
                text = self.literal(service).removesuffix(".service")
                if text and UNKNOWN not in text and text != "heartbeat":
                    found.append(Word.model_construct(text=text, span=self.span(service)))
        unique: dict[str, Word] = {}
        for word in found:
            unique.setdefault(word.text, word)
        return list(unique.values())

    # --- literal values -------------------------------------------------------------------

    def literal(self, node: Node) -> str:
        """The word's value as far as it is known; unknown parts become UNKNOWN."""
        kind = node.type
        if kind in ("word", "number", "extglob_pattern", "test_operator", "regex"):
            return compiled(r"\\(.)").sub(r"\1", self.text(node))
        if kind == "raw_string":
            return self.text(node)[1:-1]
        if kind == "ansi_c_string":
            return self.text(node)[2:-1].replace("\\n", "\n").replace("\\t", "\t")
        if kind == "string":
            parts: list[str] = []
            for child in node.children:
                if child.type == '"':
                    continue
                if child.type == "string_content":
                    parts.append(compiled(r'\\([$`"\\])').sub(r"\1", self.text(child)))
                else:
                    parts.append(UNKNOWN)
            return "".join(parts)
        if kind == "concatenation":
            return "".join(self.literal(c) for c in node.children)
        return UNKNOWN

    # --- the dispatch ---------------------------------------------------------------------

    def _positional_of(self, node: Node, depth: int = 0) -> tuple[int | None, bool] | None:
        """(N, adaptive) when `node` is $N (or a variable set from it), None when it is not
        read from the arguments."""
        text = self.text(node).strip('"')
        if _LAST_ARGUMENT.search(text):
            return None, True
        match = _POSITIONAL.match(text)
        if match:
            shifted = self._shifts_before(node)
            if shifted is None:
                return None, True  # a `shift` that may or may not run: it adapts
            return int(match.group(1)) + shifted, False
        var = _VARIABLE.match(text)
        if var is None or depth > 3:
            return None
        sources = set()
        for value in self.assignments.get(var.group(1), []):
            if "$#" in self.text(value):
                return None, True
            found = self._positional_of(value, depth + 1)
            if found is not None:
                sources.add(found)
        if not sources:
            return None
        if len(sources) == 1:
            return next(iter(sources))
        return None, True  # set from different positions (by the argument count)

    def _shifts_before(self, node: Node) -> int | None:
        """How many arguments the `shift`s before `node`, in its own function or at the top,
        took off the front (`PORT=$1; shift; case "$1"` reads the second argument); None
        when a shift before it is conditional (`[ "$1" = -v ] && shift`)."""
        scope = self._in_function(node)
        scope_id = scope.id if scope is not None else None
        shifted = 0
        for command in self.shifts:
            if command.start_byte >= node.start_byte:
                break
            inside = self._in_function(command)
            if (inside.id if inside is not None else None) != scope_id:
                continue
            parent = command.parent
            if parent is None or not (
                parent.type == "program"
                or (parent.type == "compound_statement" and parent.parent is scope is not None)
            ):
                return None
            args = self.arguments(command)
            count = self.literal(args[0]) if args else "1"
            if not count.isdigit():
                return None
            shifted += int(count)
        return shifted

    def _in_function(self, node: Node) -> Node | None:
        parent = node.parent
        while parent is not None:
            if parent.type == "function_definition":
                return parent
            parent = parent.parent
        return None

    def _caller_position(self, function: Node, position: int) -> tuple[int | None, bool] | None:
        """$position inside `function`, seen from where it is called."""
        name_node = function.child_by_field_name("name")
        if name_node is None:
            return None
        name = self.text(name_node)
        for command in self.commands:
            if self.command_name(command) != name:
                continue
            args = self.arguments(command)
            if any(self.text(a) in ('"$@"', "$@", "$*", '"$*"') for a in args[:1]):
                return position, False
            if len(args) >= position:
                return self._positional_of(args[position - 1])
        return None

    def _resolve(self, node: Node) -> tuple[int | None, bool] | None:
        found = self._positional_of(node)
        if found is None:
            return None
        position, adaptive = found
        function = self._in_function(node)
        if function is not None and position is not None:
            return self._caller_position(function, position)
        return position, adaptive

    def _case_actions(self, case: Node) -> int:
        count = 0
        for item in case.children:
            if item.type != "case_item":
                continue
            patterns = self._patterns(item)
            count += sum(
                1 for a in ACTIONS if any(fnmatch.fnmatchcase(a, p) and p != "*" for p in patterns)
            )
        return count

    def _patterns(self, item: Node) -> list[str]:
        cached = self._pattern_cache.get(item.id)
        if cached is None:
            cached = [
                self.literal(c)
                for i, c in enumerate(item.children)
                if item.field_name_for_child(i) == "value"
            ]
            self._pattern_cache[item.id] = cached
        return cached

    def _comparison(self, node: Node) -> tuple[Node, str, str] | None:
        """(parameter word, operator, literal) for `[ "$1" = start ]`, `test X == stop`,
        `[[ $1 == status ]]`."""
        if node.type == "test_command":
            inner = [c for c in node.children if c.type not in ("[", "]", "[[", "]]")]
            if len(inner) == 1 and inner[0].type == "binary_expression":
                left = inner[0].child_by_field_name("left")
                right = inner[0].child_by_field_name("right")
                operator = inner[0].child_by_field_name("operator")
                if left is not None and right is not None and operator is not None:
                    op = self.text(operator)
                    if op in ("=", "==", "!="):
                        return left, op, self.literal(right)
        if node.type == "command" and self.command_name(node) == "test":
            args = self.arguments(node)
            if len(args) == 3 and self.text(args[1]) in ("=", "==", "!="):
                return args[0], self.text(args[1]), self.literal(args[2])
        return None

    def _find_dispatch(self) -> Dispatch | None:
        best: tuple[int, Node, tuple[int | None, bool]] | None = None
        tests: list[tuple[Node, tuple[int | None, bool], Node]] = []
        call: Dispatch | None = None
        stack = [self.root]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.type == "case_statement":
                value = node.child_by_field_name("value")
                if value is None:
                    continue
                resolved = self._resolve(value)
                score = self._case_actions(node)
                if resolved is None or score == 0:
                    continue
                if best is None or score > best[0]:
                    best = (score, node, resolved)
                self.dispatch_nodes.add(node.id)
            comparison = self._comparison(node)
            if comparison is not None and comparison[2] in ACTIONS:
                resolved = self._resolve(comparison[0])
                if resolved is not None:
                    tests.append((node, resolved, comparison[0]))
                    self.dispatch_nodes.add(node.id)
            if node.type == "command" and call is None:
                name = node.child_by_field_name("name")
                if name is not None:
                    resolved = self._resolve_call(name)
                    if resolved is not None:
                        call = Dispatch.model_construct(
                            kind="call",
                            word=self.text(name),
                            parameter=resolved[0],
                            adaptive=resolved[1],
                            span=self.span(name),
                        )
        # a case (or if chain) on the action is the dispatch, a `"$1"` call inside one of its
        # branches (`destroy) $1 ;;`) part of it; a call alone (`"$1"` at the end) is one too
        if best is None and not tests and call is not None:
            return call
        if best is not None:
            _, case, (position, adaptive) = best
            value = case.child_by_field_name("value")
            assert value is not None
            self.catch_all = any(
                "*" in self._patterns(item) for item in case.children if item.type == "case_item"
            )
            return Dispatch.model_construct(
                kind="case",
                word=self.text(value),
                parameter=position,
                adaptive=adaptive,
                span=self.span(value),
            )
        if tests:
            tests.sort(key=lambda t: t[0].start_byte)
            node, (position, adaptive), word = tests[0]
            statement = node.parent
            while statement is not None and statement.type not in ("if_statement",):
                statement = statement.parent
            self.catch_all = statement is not None and any(
                c.type == "else_clause" for c in statement.children
            )
            return Dispatch.model_construct(
                kind="if",
                word=self.text(word),
                parameter=position,
                adaptive=adaptive,
                span=self.span(word),
            )
        return None

    def _resolve_call(self, name: Node) -> tuple[int | None, bool] | None:
        """A command whose name is built from the action (`"$1"` runs the function `start`,
        `"do_$1"` the function `do_start`)."""
        template = self._call_template(self.text(name))
        if template is None:
            return None
        prefix, suffix = template
        if not any(f"{prefix}{a}{suffix}" in self.functions for a in ACTIONS):
            return None
        expansions = [n for n in _descendants(name) if n.type in ("simple_expansion", "expansion")]
        return self._resolve(expansions[0]) if len(expansions) == 1 else None

    @staticmethod
    def _call_template(text: str) -> tuple[str, str] | None:
        match = _CALL_TEMPLATE.match(text.strip('"'))
        return (match.group(1), match.group(2)) if match else None

    # --- walking one action ---------------------------------------------------------------

    def branch(self, action: str) -> ActionBranch:
        self._steps = 0
        self._action = action
        branch = ActionBranch.model_construct(action=action)
        self._taken: tuple[str, Node] | None = None
        try:
            ways = self._block(list(self.root.children), [_Way()], 0)
        except Budget:
            branch.complete = False
            ways = []
        if self._taken is not None:
            branch.pattern, node = self._taken
            branch.span = self.span(node)
        seen: set[tuple[object, ...]] = set()
        for way in ways:
            path = self._path(way)
            key = (*way.outcome(), path.last_command)
            if key not in seen:
                seen.add(key)
                branch.paths.append(path)
        return branch

    def _path(self, way: _Way) -> ScriptPath:
        last = way.end if way.explicit_exit else way.last
        return ScriptPath.model_construct(
            printed=way.printed,
            unknown_output=way.unknown_output,
            exit_code=way.exit_code,
            explicit_exit=way.explicit_exit,
            last_command=None if way.explicit_exit or last is None else self.text(last)[:200],
            end=self.span(last) if last is not None else None,
            guards=way.guards,
        )

    def _tick(self, ways: list[_Way]) -> None:
        self._steps += len(ways)
        if self._steps > MAX_STEPS or len(ways) > MAX_PATHS:
            raise Budget

    def _block(self, nodes: list[Node], ways: list[_Way], depth: int) -> list[_Way]:
        for node in nodes:
            if not node.is_named or node.type in ("comment", "function_definition"):
                continue
            live = [w for w in ways if not (w.ended or w.returned)]
            if not live:
                break
            done = [w for w in ways if w.ended or w.returned]
            self._tick(live)
            ways = done + _merged(self._statement(node, live, depth, "stdout"))
        return ways

    def _statement(self, node: Node, ways: list[_Way], depth: int, stream: Stream) -> list[_Way]:
        kind = node.type
        if kind == "command":
            return self._command(node, ways, depth, stream)
        if kind == "redirected_statement":
            body = node.child_by_field_name("body")
            redirect_stream, heredoc = self._redirects(node, stream)
            if body is None:
                return ways
            if heredoc is not None and self.command_name(body) == "cat":
                for way in ways:
                    way.printed.append(self._printed(heredoc, redirect_stream, body))
                    way.last = body
                return ways
            return self._statement(body, ways, depth, redirect_stream)
        if kind == "pipeline":
            parts = [c for c in node.children if c.is_named]
            for part in parts[:-1]:
                ways = self._statement(part, ways, depth, "null")
            return self._statement(parts[-1], ways, depth, stream) if parts else ways
        if kind == "list":
            return self._list(node, ways, depth, stream)
        if kind == "negated_command":
            inner = [c for c in node.children if c.is_named]
            return self._statement(inner[0], ways, depth, stream) if inner else ways
        if kind == "if_statement":
            return self._if(node, ways, depth, stream)
        if kind == "case_statement":
            return self._case(node, ways, depth, stream)
        if kind in ("compound_statement", "subshell", "do_group"):
            inner = [c for c in node.children if c.is_named]
            return self._block_stream(inner, ways, depth, stream)
        if kind in ("while_statement", "for_statement", "c_style_for_statement"):
            body = node.child_by_field_name("body")
            skipped = [w.fork() for w in ways]
            if body is None:
                return ways
            return skipped + self._statement(body, ways, depth, stream)
        if kind == "test_command":
            for way in ways:
                way.last = node
            return ways
        if kind == "variable_assignment":  # `rc=7`: what `exit $rc` will exit with
            name_node, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name_node is not None:
                name, number = self.text(name_node), self.literal(value) if value else ""
                for way in ways:
                    if number.isdigit():
                        way.codes[name] = int(number)
                    else:
                        way.codes.pop(name, None)
            return ways
        # declarations, `unset`, anything else: no output, not the last status
        return ways

    def _block_stream(
        self, nodes: list[Node], ways: list[_Way], depth: int, stream: Stream
    ) -> list[_Way]:
        if stream == "stdout":
            return self._block(nodes, ways, depth)
        for node in nodes:
            if not node.is_named or node.type == "comment":
                continue
            live = [w for w in ways if not (w.ended or w.returned)]
            done = [w for w in ways if w.ended or w.returned]
            if not live:
                break
            self._tick(live)
            ways = done + self._statement(node, live, depth, stream)
        return ways

    def _redirects(self, node: Node, stream: Stream) -> tuple[Stream, str | None]:
        heredoc: str | None = None
        for child in node.children:
            if child.type == "heredoc_redirect":
                body = next((c for c in child.children if c.type == "heredoc_body"), None)
                heredoc = self.text(body) if body is not None else ""
                continue
            if child.type != "file_redirect":
                continue
            text = self.text(child).replace(" ", "")
            descriptor = child.child_by_field_name("descriptor")
            fd = self.text(descriptor) if descriptor is not None else None
            if text.startswith("&>"):
                stream = "null"
            elif fd in (None, "1") and (">&2" in text or text.endswith("&2")):
                stream = "stderr"
            elif fd in (None, "1") and (text.lstrip("1").startswith(">")):
                stream = "null"
        return stream, heredoc

    def _printed(self, text: str, stream: Stream, node: Node) -> ScriptText:
        return ScriptText.model_construct(text=text, stream=stream, span=self.span(node))

    def _list(self, node: Node, ways: list[_Way], depth: int, stream: Stream) -> list[_Way]:
        parts = list(node.children)
        left = parts[0]
        operator = parts[1].type if len(parts) > 1 else "&&"
        right = parts[2] if len(parts) > 2 else None
        ways = self._statement(left, ways, depth, stream)
        if right is None:
            return ways
        known = self._truth(left)
        result: list[_Way] = []
        for way in ways:
            if way.ended or way.returned:
                result.append(way)
                continue
            run_right = (known is True) if operator == "&&" else (known is False)
            if known is None:
                other = way.fork()
                taken = "succeeded" if operator == "||" else "failed"
                other.guards.append(f"{self.text(left)[:80]} {taken}")
                if operator == "||":  # `pkill web || true`: here the list succeeded, and no
                    other.last = None  # command of it is a last status that may fail
                result.append(other)
                way.guards.append(
                    f"{self.text(left)[:80]} {'failed' if operator == '||' else 'succeeded'}"
                )
                run_right = True
            if run_right:
                result.extend(self._statement(right, [way], depth, stream))
            else:
                result.append(way)
        return result

    def _truth(self, node: Node) -> bool | None:
        """The condition's value when it only compares the action, or is `true`/`false`."""
        if node.type == "negated_command":
            inner = [c for c in node.children if c.is_named]
            value = self._truth(inner[0]) if inner else None
            return None if value is None else not value
        if node.id in self.dispatch_nodes:
            comparison = self._comparison(node)
            if comparison is not None:
                _, operator, literal = comparison
                equal = literal == self._action
                return equal if operator != "!=" else not equal
        if node.type == "command":
            name = self.command_name(node)
            if name in ("true", ":"):
                return True
            if name == "false":
                return False
        if node.type == "list":
            parts = node.children
            if len(parts) == 3:
                left, right = self._truth(parts[0]), self._truth(parts[2])
                if parts[1].type == "&&":
                    if left is False or right is False:
                        return False
                    if left is True and right is True:
                        return True
                elif parts[1].type == "||":
                    if left is True or right is True:
                        return True
                    if left is False and right is False:
                        return False
        return None

    def _compares_action(self, node: Node) -> bool:
        """Whether a condition holds a comparison of the action (`[ "$1" = start ]`)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if current.id in self.dispatch_nodes:
                return True
            stack.extend(current.children)
        return False

    def _if(self, node: Node, ways: list[_Way], depth: int, stream: Stream) -> list[_Way]:
        clauses: list[tuple[list[Node], list[Node]]] = []  # (condition, body)
        otherwise: list[Node] | None = None
        condition: list[Node] = []
        body: list[Node] = []
        in_body = False
        for child in node.children:
            if child.type == "then":
                in_body = True
            elif child.type in ("elif_clause", "else_clause", "fi", "if") or not child.is_named:
                continue
            elif in_body:
                body.append(child)
            else:
                condition.append(child)
        clauses.append((condition, body))
        for child in node.children:
            if child.type == "elif_clause":
                cond: list[Node] = []
                elif_body: list[Node] = []
                seen_then = False
                for part in child.children:
                    if part.type == "then":
                        seen_then = True
                    elif not part.is_named:
                        continue
                    elif seen_then:
                        elif_body.append(part)
                    else:
                        cond.append(part)
                clauses.append((cond, elif_body))
            elif child.type == "else_clause":
                otherwise = [c for c in child.children if c.is_named]
        result: list[_Way] = []
        pending = ways
        all_dispatch = bool(clauses)  # every clause compares the action: `else` is its `*)`
        for cond, clause_body in clauses:
            pending = self._condition(cond, pending, depth, stream)
            truth = self._truth(cond[-1]) if cond else None
            compares = bool(cond) and self._compares_action(cond[-1])
            all_dispatch = all_dispatch and compares and truth is False
            if compares and truth is True and self._taken is None:
                self._taken = (" ".join(self.text(c) for c in cond)[:80], cond[-1])
            text = " ".join(self.text(c) for c in cond)[:80]
            next_pending: list[_Way] = []
            for way in pending:
                if way.ended or way.returned:
                    result.append(way)
                    continue
                if truth is not False:
                    taken = way.fork() if truth is None else way
                    if truth is None:
                        taken.guards.append(text)
                    result.extend(self._block_stream(clause_body, [taken], depth, stream))
                if truth is not True:
                    if truth is None:
                        way.guards.append(f"not {text}")
                    next_pending.append(way)
            pending = next_pending
            self._tick(result + pending)
        if otherwise is not None:
            if all_dispatch and pending and self._taken is None:
                self._taken = ("*", otherwise[0] if otherwise else node)
            result.extend(self._block_stream(otherwise, pending, depth, stream))
        else:
            result.extend(pending)
        return result

    def _condition(
        self, nodes: list[Node], ways: list[_Way], depth: int, stream: Stream
    ) -> list[_Way]:
        """Run a condition for what it prints; its lists do not fork (the `if` does)."""
        flat: list[Node] = []
        stack = list(reversed(nodes))
        while stack:
            node = stack.pop()
            if node.type == "list":
                stack.extend(reversed([c for c in node.children if c.is_named]))
            else:
                flat.append(node)
        return self._block_stream(flat, ways, depth, stream)

    def _case(self, node: Node, ways: list[_Way], depth: int, stream: Stream) -> list[_Way]:
        items = [c for c in node.children if c.type == "case_item"]
        if node.id in self.dispatch_nodes:
            for item in items:
                patterns = self._patterns(item)
                if any(fnmatch.fnmatchcase(self._action, p) for p in patterns):
                    if self._taken is None:
                        self._taken = ("|".join(patterns), item)
                    return self._block_stream(self._item_body(item), ways, depth, stream)
            return ways  # no branch takes it: the case does nothing
        result: list[_Way] = []
        catch_all = False
        for item in items:
            patterns = self._patterns(item)
            catch_all = catch_all or "*" in patterns
            forked = [w.fork() for w in ways]
            result.extend(self._block_stream(self._item_body(item), forked, depth, stream))
            self._tick(result)
        if not catch_all:
            result.extend(ways)
        return result

    def _item_body(self, item: Node) -> list[Node]:
        body: list[Node] = []
        after = False
        for i, child in enumerate(item.children):
            if child.type == ")":
                after = True
                continue
            if after and child.is_named and item.field_name_for_child(i) != "termination":
                body.append(child)
        return body

    def _command(self, node: Node, ways: list[_Way], depth: int, stream: Stream) -> list[_Way]:
        name = self.command_name(node)
        args = self.arguments(node)
        if name == "exit" or (name == "return" and depth == 0):
            code = self.literal(args[0]) if args else None
            variable = _VARIABLE.match(self.text(args[0])) if args else None
            for way in ways:
                way.ended = True
                way.explicit_exit = code is not None
                way.end = node
                if code is not None and code.lstrip("-").isdigit():
                    way.exit_code = int(code) & 255
                elif variable is not None and variable.group(1) in way.codes:
                    way.exit_code = way.codes[variable.group(1)] & 255  # `rc=7 ... exit $rc`
                elif code is None:
                    way.explicit_exit = False
                    way.end = way.last
            return ways
        if name == "return":
            variable = _VARIABLE.match(self.text(args[0])) if args else None
            for way in ways:
                way.returned = True
                if args and self.literal(args[0]).isdigit():
                    way.exit_code = int(self.literal(args[0]))
                    way.explicit_exit = True
                    way.end = node
                elif variable is not None and variable.group(1) in way.codes:
                    way.exit_code = way.codes[variable.group(1)]
                    way.explicit_exit = True
                    way.end = node
            return ways
        template = self._call_template(name) if self.dispatch is not None else None
        if template is not None and self.dispatch is not None and self.dispatch.kind != "call":
            # in a case on the action, `stop) $1 ;;` runs the function stop too
            prefix, suffix = template
            reads_action = _bare(name) == f"{prefix}{_bare(self.dispatch.word)}{suffix}"
            if not reads_action or f"{prefix}{self._action}{suffix}" not in self.functions:
                template = None
        if template is not None:
            # `"$1"` runs the function named after the action, `"do_$1"` do_start
            name = f"{template[0]}{self._action}{template[1]}"
            if name not in self.functions:
                return ways
            if self._taken is None:
                self._taken = (f"{name}()", self.functions[name])
        if name in self.functions and depth < MAX_DEPTH:
            body = self.functions[name].child_by_field_name("body")
            if body is not None:
                ways = self._statement(body, ways, depth + 1, stream)
                for way in ways:
                    if way.returned:
                        way.returned = False
                    if not way.explicit_exit or way.ended:
                        continue
                    way.explicit_exit = False  # a `return N`: the call's status, not an exit
                return ways
        text, unknown = self._output_of(name, args)
        for way in ways:
            way.last = node
            way.exit_code = None
            way.explicit_exit = False
            if text is not None:
                way.printed.append(self._printed(text, stream, node))
            if unknown and stream == "stdout":
                way.unknown_output = True
        return ways

    def _output_of(self, name: str, args: list[Node]) -> tuple[str | None, bool]:
        """What the command prints (text, or None) and whether its output is unknown."""
        base = name.rsplit("/", 1)[-1]
        values = [self.literal(a) for a in args]
        if base == "echo":
            while values and compiled(r"-[neE]+").fullmatch(values[0]):
                values = values[1:]
            return " ".join(values), False
        if base == "printf":
            if not values:
                return "", False
            fmt, rest = values[0], values[1:]
            return _printf(fmt, rest), False
        if base in _SILENT or base.startswith("$"):
            return None, base.startswith("$")
        if base == "eval" and args and all(_EVAL_ASSIGNMENT.match(self.text(a)) for a in args):
            return None, False  # `eval action=\${$#}` assigns, and prints nothing
        if base == "systemctl" and values and values[0] == "is-active":
            if any(v in ("-q", "--quiet") for v in values):
                return None, False
            return "active", False
        if base == "systemctl" and values and values[0] in ("is-enabled",):
            return "enabled", False
        if base in ("pidof", "pgrep"):
            if any(v in ("-q", "--quiet") for v in values):
                return None, False
            return "1234", False
        if base == "wc":
            return "0", False
        if base == "grep" and any(v.startswith("-") and "q" in v for v in values):
            return None, False
        if base in ("systemctl", "service", "start-stop-daemon") and values:
            if values[0] in ("start", "stop", "restart", "reload", "enable", "disable"):
                return None, False
            if len(values) > 1 and values[1] in ("start", "stop", "restart"):
                return None, False
        return None, True

    def actions(self) -> Iterator[ActionBranch]:
        for action in ACTIONS:
            yield self.branch(action)


def _printf(fmt: str, args: list[str]) -> str:
    out: list[str] = []
    values = iter(args)
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "\\" and i + 1 < len(fmt):
            out.append({"n": "\n", "t": "\t"}.get(fmt[i + 1], fmt[i + 1]))
            i += 2
            continue
        if ch == "%" and i + 1 < len(fmt):
            match = compiled(r"%[-+ #0]*[0-9]*(?:\.[0-9]+)?([a-zA-Z%])").match(fmt[i:])
            if match:
                if match.group(1) == "%":
                    out.append("%")
                else:
                    out.append(next(values, ""))
                i += len(match.group(0))
                continue
        out.append(ch)
        i += 1
    return "".join(out)

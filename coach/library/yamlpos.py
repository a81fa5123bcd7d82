"""Safe YAML parsing that remembers the line of every node and refuses duplicate keys.

PyYAML's loaders forget where values came from and silently keep the last of two equal
keys. Here the document is composed into nodes with a SafeLoader (no tag ever runs code),
then built into plain Python data by hand, recording `Path -> NodePos` on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coach.library.problems import LibraryFileError, Problem

PathKey = tuple[Any, ...]
"""A path into the data: mapping keys and list indexes, e.g. `("tactics", 2)`."""

MAX_NODES = 200_000
"""Guards against alias bombs ("billion laughs"): more values than this is an error."""

_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass(frozen=True)
class NodePos:
    """Where a value sits in the file (1-based lines)."""

    key_line: int
    """Line of the key holding the value (the item's own line in a list, the start at the root)."""
    value_line: int
    """Line where the value itself starts."""
    is_collection: bool
    """True for mappings and lists (their block starts below the key)."""


@dataclass
class Located:
    """Parsed YAML data and the position of every value in it."""

    data: Any
    positions: dict[PathKey, NodePos] = field(default_factory=dict)

    def line_of(self, path: PathKey, *, key: bool = False) -> int | None:
        """Line of the value at `path` (of its key when `key`), or of its nearest ancestor."""
        for cut in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:cut]))
            if pos is not None:
                if key or cut < len(path):
                    return pos.key_line
                return pos.key_line if pos.is_collection else pos.value_line
        return None


class _Loader(yaml.SafeLoader):
    """A SafeLoader; only used to compose nodes and construct plain scalars."""


def short_tag(tag: str | None) -> str:
    """`tag:yaml.org,2002:python/name` -> `!!python/name`."""
    return (tag or "").replace("tag:yaml.org,2002:", "!!")


def _describe(err: yaml.MarkedYAMLError) -> str:
    problem = short_tag(err.problem) or "invalid YAML"
    if "single document" in (err.context or ""):
        return "only one YAML document per file; remove the '---' line"
    if "'\\t'" in problem or "tab" in problem:
        return "a tab character; indent with spaces only"
    if err.context and err.context not in problem:
        context, mark = err.context, err.context_mark
        if mark is not None and err.problem_mark is not None and mark.line != err.problem_mark.line:
            context += f" started on line {mark.line + 1}"
        return f"{problem} ({context})"
    return problem


class _Builder:
    """Turns composed nodes into data, recording positions and collecting problems."""

    def __init__(self, loader: _Loader, source: str) -> None:
        self.loader = loader
        self.source = source
        self.positions: dict[PathKey, NodePos] = {}
        self.problems: list[Problem] = []
        self.count = 0
        self.active: set[int] = set()
        self.keys: dict[int, Any] = {}

    def fail(self, node: Node, message: str, path: PathKey = ()) -> None:
        self.problems.append(
            Problem(self.source, node.start_mark.line + 1, _render_path(path), message)
        )

    def build(self, node: Node, path: PathKey, key_line: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig
        is_collection = isinstance(node, MappingNode | SequenceNode)
        self.positions[path] = NodePos(key_line, node.start_mark.line + 1, is_collection)
        if not is_collection:
            return self.scalar(node, path)
        if id(node) in self.active:
            self.fail(node, "an alias refers to itself; YAML anchors cannot be recursive", path)
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node, path)
            assert isinstance(node, MappingNode)
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: Node, path: PathKey) -> Any:
        if node.tag == _TIMESTAMP:
            return node.value  # a date in a text field stays the text the trainer wrote
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            problem = short_tag(getattr(err, "problem", None) or str(err))
            self.fail(node, f"cannot read this value: {problem}", path)
        except (ValueError, TypeError, OverflowError) as err:
            self.fail(node, f"cannot read this value: {err}", path)
        return None

    def sequence(self, node: SequenceNode, path: PathKey) -> list[Any]:
        if node.tag != _SEQ:
            self.fail(
                node, f"YAML tag {short_tag(node.tag)!r} is not allowed here; remove it", path
            )
        return [
            self.build(item, (*path, i), item.start_mark.line + 1)
            for i, item in enumerate(node.value)
        ]

    def mapping(self, node: MappingNode, path: PathKey) -> dict[Any, Any]:
        if node.tag != _MAP:
            self.fail(
                node, f"YAML tag {short_tag(node.tag)!r} is not allowed here; remove it", path
            )
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.key(key_node, path)
            line = key_node.start_mark.line + 1
            if key is _BAD_KEY or key == "<<":
                continue
            if key in seen:
                self.fail(
                    key_node,
                    f"duplicate key {key!r} (first at line {seen[key]}); keep only one",
                    (*path, key),
                )
            else:
                seen[key] = line
        try:
            self.loader.flatten_mapping(node)  # merge keys (<<: *anchor)
        except yaml.YAMLError as err:
            self.fail(node, f"cannot merge: {getattr(err, 'problem', None) or err}", path)
            return {}
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, path)
            if key is _BAD_KEY:
                continue
            result[key] = self.build(value_node, (*path, key), key_node.start_mark.line + 1)
        return result

    def key(self, node: Node, path: PathKey) -> Any:
        if id(node) not in self.keys:
            self.keys[id(node)] = self._key(node, path)
        return self.keys[id(node)]

    def _key(self, node: Node, path: PathKey) -> Any:
        if node.tag == _MERGE:
            return "<<"
        if isinstance(node, ScalarNode):
            value = self.scalar(node, path)
            if value is None or isinstance(value, str | int | float | bool):
                return value
        self.fail(node, "a key must be a single word or number", path)
        return _BAD_KEY


_BAD_KEY = object()


class _TooBig(Exception):
    pass


def _render_path(path: PathKey) -> str:
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def render_path(path: PathKey) -> str:
    """`("ladder", "levels", 2, "moves")` -> `ladder.levels[2].moves`."""
    return _render_path(path)


def _reader_problem(err: yaml.reader.ReaderError, text: str, source: str) -> Problem:
    line = text.count("\n", 0, max(err.position, 0)) + 1
    char = err.character if isinstance(err.character, str) else chr(err.character)
    return Problem(
        source, line, "", f"special character {char!r} (#x{ord(char):04x}) is not allowed in YAML"
    )


def parse_yaml(text: str, source: str) -> Located:
    """Parse one YAML document safely; any problem raises LibraryFileError with its line."""
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as err:
        raise LibraryFileError([_reader_problem(err, text, source)]) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.reader.ReaderError as err:
            raise LibraryFileError([_reader_problem(err, text, source)]) from None
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else None
            column = f" at column {mark.column + 1}" if mark else ""
            raise LibraryFileError(
                [Problem(source, line, "", f"YAML syntax error{column}: {_describe(err)}")]
            ) from None
        except yaml.YAMLError as err:
            raise LibraryFileError([Problem(source, None, "", f"YAML error: {err}")]) from None
        if node is None:
            raise LibraryFileError(
                [Problem(source, 1, "", "the file is empty; it needs the fields of its kind")]
            )
        builder = _Builder(loader, source)
        try:
            data = builder.build(node, (), node.start_mark.line + 1)
        except _TooBig:
            raise LibraryFileError(
                [Problem(source, None, "", "too many values (anchors expand too far)")]
            ) from None
        if builder.problems:
            raise LibraryFileError(builder.problems)
        return Located(data, builder.positions)
    except RecursionError:
        raise LibraryFileError(
            [Problem(source, None, "", "the data is nested too deeply")]
        ) from None
    finally:
        loader.dispose()

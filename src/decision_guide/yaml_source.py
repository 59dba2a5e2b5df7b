"""Read YAML into plain data while remembering where every value came from.

PyYAML's ``safe_load`` forgets positions and silently keeps the last of two duplicate keys.
This module composes the YAML node graph with PyYAML (the parser is PyYAML's, only the
walk is ours), turns it into plain Python data, and records the line and column of every
key and value so later checks can point at them. It also bounds alias expansion, so a
"billion laughs" document is refused instead of exhausting memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from .problems import KnowledgeBaseError, Path, Problem

#: libyaml's parser when PyYAML was built with it (same nodes and marks, several times faster).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Most nodes that aliases may add to a document by repeating what they point at (a "billion
#: laughs" file adds billions); nodes written out in full do not count, so large files are fine.
MAX_ALIAS_NODES = 100_000


@dataclass
class SourceMap:
    """Where each field of a document was written.

    ``values[path]`` and ``keys[path]`` are 1-based ``(line, column)`` pairs for the value at
    ``path`` and for the key that introduced it.
    """

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Return the position of ``path``, or of its nearest recorded ancestor (1, 1 at worst)."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)

    def problem(self, path: Path, message: str, expected: str | None = None, *, key: bool = False) -> Problem:
        """Build a :class:`Problem` located at ``path``."""
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, path, message, expected)


def _position(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Walker:
    def __init__(self, source_map: SourceMap):
        self.map = source_map
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.repeated = 0
        self.constructor = yaml.SafeLoader("")

    def walk(self, node: yaml.Node, path: Path) -> Any:
        if id(node) in self.seen:  # reached again through an alias
            self.repeated += 1
            if self.repeated > MAX_ALIAS_NODES:
                raise _TooLarge
        self.seen.add(id(node))
        self.map.values.setdefault(path, _position(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, path + (index,)) for index, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: Path) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:  # e.g. the date 2026-13-45
            reason = getattr(error, "problem", None) or str(error)
            self.problems.append(Problem(self.map.file, *_position(node), path, f"unreadable value: {reason}"))
            return None

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        try:
            self.constructor.flatten_mapping(node)  # resolves YAML merge keys (<<)
        except yaml.YAMLError as error:
            self.problems.append(Problem(self.map.file, *_position(node), path, f"bad merge key: {error}"))
            return {}
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem(self.map.file, *_position(key_node), path, "a key must be a plain scalar"))
                continue
            key = self._scalar(key_node, path)
            child = path + (key,)
            if key in result:
                first_line = self.map.keys[child][0]
                self.problems.append(
                    Problem(
                        self.map.file,
                        *_position(key_node),
                        child,
                        f"duplicate key `{key}` (first written on line {first_line}); YAML would keep only the last",
                        "each key once per mapping",
                    )
                )
                continue
            self.map.keys[child] = _position(key_node)
            result[key] = self.walk(value_node, child)
        return result


class _TooLarge(Exception):
    pass


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse ``text`` as one YAML document, returning ``(data, source_map)``.

    Input: the document text and the file name to report. Output: plain Python data (dicts,
    lists, str, int, float, bool, None, datetime.date) and a :class:`SourceMap`.
    Raises :class:`KnowledgeBaseError` listing every duplicate key, a syntax error with its
    position, a second document, or aliases repeating more than :data:`MAX_ALIAS_NODES` nodes.
    """
    source_map = SourceMap(file)
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = ": ".join(part for part in (error.context, error.problem) if part)
        raise KnowledgeBaseError([Problem(file, line, column, (), f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as error:
        raise KnowledgeBaseError([Problem(file, 1, 1, (), f"YAML error: {error}")]) from None
    if node is None:
        raise KnowledgeBaseError([Problem(file, 1, 1, (), "the file is empty", "a YAML mapping")])
    walker = _Walker(source_map)
    try:
        data = walker.walk(node, ())
    except _TooLarge:
        raise KnowledgeBaseError(
            [Problem(file, 1, 1, (), f"aliases repeat more than {MAX_ALIAS_NODES} nodes (a \"billion laughs\" file?)")]
        ) from None
    if walker.problems:
        raise KnowledgeBaseError(walker.problems)
    return data, source_map


def read_yaml_file(path: FsPath) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file; see :func:`load_yaml`.

    Raises :class:`KnowledgeBaseError` when the file is missing, unreadable or not UTF-8.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), "file not found")]) from None
    except UnicodeDecodeError as error:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), f"not UTF-8 text: {error.reason}")]) from None
    except OSError as error:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), f"cannot read the file: {error.strerror}")]) from None
    return load_yaml(text, str(path))

"""Read YAML into plain data while remembering where every value came from, with bounded work.

PyYAML's ``safe_load`` forgets positions, silently keeps the last of two duplicate keys, and
follows aliases and merge keys however far they expand. This module reads PyYAML's *event*
stream (the parser is PyYAML's, libyaml's when available) and builds plain Python data from it
in one iterative pass, recording the line and column of every key and value. Because the file
comes from pull requests, the pass refuses what a knowledge base never needs and an attacker
would use: anchors and aliases (``&a``/``*a``, the "billion laughs"), merge keys (``<<``),
explicit tags (``!!binary`` hides text from reviewers), and anything over the limits of
:mod:`decision_guide.limits` (file size, nesting depth, list length). No step recurses on the
document, so no input can exhaust the stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from .limits import MAX_BYTES, MAX_DEPTH, MAX_ENTRIES
from .problems import KnowledgeBaseError, Path, Problem, quote

#: libyaml's parser when PyYAML was built with it (same events and marks, several times faster).
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})  # the plain scalars YAML 1.1 reads as null


@dataclass
class SourceMap:
    """Where each field of a document was written.

    ``values[path]`` and ``keys[path]`` are 1-based ``(line, column)`` pairs for the value at
    ``path`` and for the key that introduced it; ``ids[path]`` is the ``id`` of the list item at
    ``path``, when it has one, so messages can name ``sources[django-admin]`` instead of
    ``sources[7]``.
    """

    file: str
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    ids: dict[Path, str] = field(default_factory=dict)

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
        """Build a :class:`Problem` located at ``path``, its path shown with item ids."""
        line, column = self.locate(path, key=key)
        return Problem(self.file, line, column, path, message, expected, self.labels(path))

    def labels(self, path: Path) -> tuple[str | int, ...]:
        """``path`` with each list index replaced by the item's id where it has one."""
        return tuple(
            self.ids.get(path[: i + 1], part) if isinstance(part, int) else part for i, part in enumerate(path)
        )


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _RefusedError(Exception):
    def __init__(self, mark: Any, message: str, expected: str | None = None):
        self.position = _position(mark)
        self.message = message
        self.expected = expected


@dataclass
class _Frame:
    container: Any
    path: Path
    key: Any = None  # the pending key of a mapping, once read
    key_mark: Any = None
    skip: bool = False  # a value that cannot be stored (after a bad key)


class _Builder:
    """Turns the event stream into data; one instance per document."""

    def __init__(self, source_map: SourceMap):
        self.map = source_map
        self.problems: list[Problem] = []
        self.loader = yaml.SafeLoader("")  # its resolver and constructor, for scalars only
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.skipping = 0  # depth inside a collection used as a key (reported, then ignored)
        self.plain: dict[str, Any] = {}  # plain scalars resolved so far, by their text

    def problem(self, mark: Any, path: Path, message: str, expected: str | None = None) -> None:
        self.problems.append(Problem(self.map.file, *_position(mark), path, message, expected, self.map.labels(path)))

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            raise _RefusedError(event.start_mark, "aliases (`*name`) are not allowed", "the value written out in full")
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            if event.anchor is not None:
                raise _RefusedError(
                    event.start_mark, f"anchors (`&{event.anchor}`) are not allowed", "the value written out in full"
                )
            if event.tag not in (None, "!", _STR_TAG):
                raise _RefusedError(
                    event.start_mark,
                    f"explicit tags (`{event.tag}`) are not allowed",
                    "a plain value; quote text that YAML would read otherwise",
                )
        if self.skipping:
            if isinstance(event, yaml.CollectionStartEvent):
                self.skipping += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                self.skipping -= 1
            return
        if isinstance(event, yaml.ScalarEvent):
            self.value(event, self.scalar(event))
        elif isinstance(event, yaml.CollectionStartEvent):
            self.open(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.stack.pop()

    def scalar(self, event: yaml.ScalarEvent) -> Any:
        """The value of a scalar: quoted and block scalars (and ``!!str``) are text as written;
        a plain one is resolved as YAML 1.1 says (``42``, ``yes``, ``2026-11-21``), once per
        distinct text (a knowledge base repeats its ids, kinds and dates)."""
        if event.style or event.tag == _STR_TAG:  # libyaml gives a plain scalar the style ""
            return event.value
        if event.tag is not None:  # "!": text, whatever it looks like
            return self.construct(event)
        if event.value in self.plain:
            return self.plain[event.value]
        value = self.construct(event)
        if value is not None or event.value in _NULLS:  # None is also an unreadable value
            self.plain[event.value] = value
        return value

    def construct(self, event: yaml.ScalarEvent) -> Any:
        resolve: Any = self.loader.resolve  # PyYAML's resolver is untyped
        tag = event.tag if event.tag == _STR_TAG else resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _MERGE_TAG:
            raise _RefusedError(event.start_mark, "merge keys (`<<`) are not allowed", "the fields written out in full")
        start: Any = event.start_mark  # libyaml's marks behave as PyYAML's
        end: Any = event.end_mark
        node = yaml.ScalarNode(tag, event.value, start, end, event.style)
        try:
            return self.loader.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:  # e.g. the date 2026-13-45
            reason = getattr(error, "problem", None) or str(error)
            self.problem(event.start_mark, self.current_path(), f"unreadable value: {reason}")
            return None

    def current_path(self) -> Path:
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return frame.path + ((frame.key,) if frame.key is not None else ())

    def value(self, event: yaml.Event, value: Any) -> None:
        """Store a scalar or a new container where the stream has got to."""
        if not self.stack:
            self.root = value
            self.map.values[()] = _position(event.start_mark)
            return
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            if len(frame.container) >= MAX_ENTRIES:
                raise _RefusedError(
                    event.start_mark,
                    f"a list of more than {MAX_ENTRIES:,} items",
                    f"at most {MAX_ENTRIES:,} items in a list",
                )
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            self.map.values[path] = _position(event.start_mark)
            return
        if frame.key is None:  # this scalar is a key
            self.key(frame, event, value)
            return
        path = (*frame.path, frame.key)
        if not frame.skip:
            frame.container[frame.key] = value
            self.map.values[path] = _position(event.start_mark)
        if frame.key == "id" and isinstance(value, str) and frame.path and isinstance(frame.path[-1], int):
            self.map.ids.setdefault(frame.path, value)
        frame.key, frame.skip = None, False

    def key(self, frame: _Frame, event: yaml.Event, key: Any) -> None:
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        path = (*frame.path, key)
        frame.key, frame.key_mark, frame.skip = key, event.start_mark, False
        if key in frame.container:
            first_line = self.map.keys[path][0]
            self.problem(
                event.start_mark,
                path,
                f"duplicate key {quote(key)} (first written on line {first_line}); YAML would keep only the last",
                "each key once per mapping",
            )
            frame.skip = True
            return
        self.map.keys[path] = _position(event.start_mark)

    def open(self, event: yaml.CollectionStartEvent) -> None:
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            self.problem(event.start_mark, self.stack[-1].path, "a key must be a plain scalar")
            self.skipping = 1
            return
        if len(self.stack) >= MAX_DEPTH:
            raise _RefusedError(event.start_mark, f"nesting deeper than {MAX_DEPTH} levels", "the schema's shape")
        container: dict[Any, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        path = self.current_path()
        duplicate = bool(self.stack) and self.stack[-1].skip
        self.value(event, container)
        if duplicate:  # the value of a duplicate key: read it, keep nothing
            path = (*path, "<duplicate>")
        self.stack.append(_Frame(container, path))


def load_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse ``text`` as one YAML document, returning ``(data, source_map)``.

    Input: the document text and the file name to report. Output: plain Python data (dicts,
    lists, str, int, float, bool, None, datetime.date) and a :class:`SourceMap`.
    Raises :class:`KnowledgeBaseError` listing every duplicate key and unreadable value, or the
    first of: a syntax error, a second document, an anchor, alias, merge key or explicit tag,
    nesting deeper than :data:`MAX_DEPTH`, or text over :data:`MAX_BYTES`.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise KnowledgeBaseError(
            [Problem(file, 1, 1, (), f"the file has {size:,} bytes", f"at most {MAX_BYTES:,} bytes")]
        )
    source_map = SourceMap(file)
    builder = _Builder(source_map)
    documents = 0
    try:
        for event in yaml.parse(text, Loader=LOADER):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise _RefusedError(event.start_mark, "a second YAML document (`---`)", "one document per file")
            elif not isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                builder.feed(event)
    except _RefusedError as refused:
        raise KnowledgeBaseError([Problem(file, *refused.position, (), refused.message, refused.expected)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = ": ".join(part for part in (error.context, error.problem) if part)
        raise KnowledgeBaseError([Problem(file, line, column, (), f"YAML syntax error: {message}")]) from None
    except yaml.YAMLError as error:
        raise KnowledgeBaseError([Problem(file, 1, 1, (), f"YAML error: {error}")]) from None
    if documents == 0:
        raise KnowledgeBaseError([Problem(file, 1, 1, (), "the file is empty", "a YAML mapping")])
    if builder.problems:
        raise KnowledgeBaseError(builder.problems)
    return builder.root, source_map


def read_yaml_file(path: FsPath) -> tuple[Any, SourceMap]:
    """Read and parse a YAML file; see :func:`load_yaml`.

    Raises :class:`KnowledgeBaseError` when the file is missing, unreadable, too large or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise KnowledgeBaseError(
                [Problem(str(path), 1, 1, (), f"the file has {size:,} bytes", f"at most {MAX_BYTES:,} bytes")]
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), "file not found")]) from None
    except UnicodeDecodeError as error:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), f"not UTF-8 text: {error.reason}")]) from None
    except OSError as error:
        raise KnowledgeBaseError([Problem(str(path), 1, 1, (), f"cannot read the file: {error.strerror}")]) from None
    return load_yaml(text, str(path))

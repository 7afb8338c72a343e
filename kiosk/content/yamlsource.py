"""Read YAML and TOML while remembering where every value came from.

Staff edit the kiosk's files by hand, so every message about a mistake must name the file and
the line. PyYAML's node tree knows the line of every value; we turn it into plain Python data
plus a map from "path inside the document" to line number. The validation layer
(:mod:`kiosk.content.validation`) then turns the location of a mistake (a path) back into a line.

Duplicate keys are an error here (PyYAML would silently keep the last one, and a staff member
would wonder why their edit does nothing).

PyYAML is imported only when a YAML file is read: a kiosk that starts from its content cache
(:mod:`kiosk.content.cache`) reads none, and importing PyYAML takes about 9 ms.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml

#: A path into a document, such as ``("options", 2, "pros", 0)``.
Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, ready to print as ``file:line: message``."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class SourceDocument:
    """Plain data read from one file, with the line of every value it holds."""

    file: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    #: Values put in from another file (a lobby's site file), by location: where staff wrote
    #: them. A mistake in one is reported there, not at the shared text it replaced.
    placed: dict[Location, tuple[Path, int]] = field(default_factory=dict)

    def line_of(self, location: Location) -> int:
        """The line of ``location``, or of its nearest parent that has one (line 1 at worst)."""
        path = tuple(location)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def where(self, location: Location) -> tuple[Path, int]:
        """The file and line staff wrote ``location`` in (a site file's, for a placed value)."""
        path = tuple(location)
        while path:
            if path in self.placed:
                return self.placed[path]
            path = path[:-1]
        return self.file, self.line_of(location)

    def problem(self, location: Location, message: str) -> Problem:
        """A :class:`Problem` for ``location``, at the file and line staff wrote it in."""
        return Problem(*self.where(location), message)


class SourceError(Exception):
    """The file could not be read at all (bad syntax, unreadable); holds the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


#: The most values one file may hold once its aliases (``*name``) are written out. The kiosk's
#: files hold a few thousand; a few lines of aliases of aliases can stand for billions.
MAX_VALUES = 100_000
#: The largest file read. The kiosk's own are 1-10 KB; a file of megabytes is a mistake (a
#: paste gone wrong, the wrong file saved), and reading, checking and reporting on it all
#: froze a running kiosk for seconds.
MAX_FILE_BYTES = 256 * 1024
#: The deepest nesting of blocks and lists. The content needs 5; Python's own limits (and the
#: C stack of libyaml's composer) are met at a few hundred to a few thousand.
MAX_DEPTH = 32


def read_text(file: Path, kind: str) -> str:
    """The text of a staff file, checked to be a readable UTF-8 file of sensible size.
    Raises :class:`SourceError` with one plain problem otherwise."""
    try:
        if file.is_dir():
            raise SourceError([Problem(file, 1, f"is a folder, not a {kind} file")])
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(
                [
                    Problem(
                        file,
                        1,
                        f"is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a {kind} file may "
                        "have: is it the right file?",
                    )
                ]
            )
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise SourceError(
            [Problem(file, line, f"is not UTF-8 text ({error.reason}); save it as UTF-8")]
        ) from None
    except OSError as error:
        raise SourceError([Problem(file, 1, f"cannot be read: {error.strerror}")]) from None


class _TooManyValues(Exception):
    """Raised by :func:`_node_to_data` past :data:`MAX_VALUES`: stop reading the file."""


def _node_to_data(
    node: yaml.Node,
    path: Location,
    context: _Context,
) -> Any:
    """Convert a composed YAML node to Python data, recording the line of every value."""
    line = node.start_mark.line + 1
    context.lines[path] = line
    if id(node) in context.open_nodes:
        # An alias (*name) inside the very block its anchor (&name) marks: endless.
        context.problems.append(
            Problem(
                context.file,
                line,
                "this block refers to itself (an & anchor used inside itself with *): "
                "write the text out instead",
            )
        )
        return None
    context.values += 1
    if context.values > MAX_VALUES:
        raise _TooManyValues
    # By node kind rather than isinstance(node, yaml.MappingNode): yaml is imported lazily.
    if _kind(node) == "ScalarNode":
        value = _scalar_value(node, context)
        return None if value is _UNREADABLE else value
    context.open_nodes.add(id(node))
    try:
        if _kind(node) == "SequenceNode":
            return [
                _node_to_data(item, (*path, index), context)
                for index, item in enumerate(node.value)
            ]
        return _mapping_to_data(node, path, context)
    finally:
        context.open_nodes.discard(id(node))


def _kind(node: yaml.Node) -> str:
    """``ScalarNode``, ``SequenceNode`` or ``MappingNode``."""
    return type(node).__name__


def _mapping_to_data(node: yaml.Node, path: Location, context: _Context) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        key = _scalar_value(key_node, context) if _kind(key_node) == "ScalarNode" else None
        if key is _UNREADABLE:
            continue  # its problem is recorded
        if not isinstance(key, str | int) or isinstance(key, bool):
            context.problems.append(Problem(context.file, key_line, "a key must be a word"))
            continue
        key = str(key)
        if key in result:
            context.problems.append(
                Problem(
                    context.file,
                    key_line,
                    f"'{key}' appears twice in the same block: keep only one of them",
                )
            )
            continue
        child_path = (*path, key)
        result[key] = _node_to_data(value_node, child_path, context)
        # Errors about a key point at the key's own line: that is where staff look.
        context.lines[child_path] = key_line
    return result


#: What :func:`_scalar_value` returns for a value PyYAML cannot build (its problem recorded).
_UNREADABLE = object()


def _scalar_value(node: yaml.Node, context: _Context) -> Any:
    """The value of a single YAML value (text, a number…), or :data:`_UNREADABLE` with a
    problem recorded."""
    try:
        return context.loader.construct_object(node, deep=True)
    except Exception as error:  # whatever PyYAML raises here, the file holds the mistake
        # A tag (!foo, !!python/…) or a date that does not exist (2024-02-30): PyYAML cannot
        # build the value. Quotes make it plain text.
        what = getattr(error, "problem", None) or str(error)
        context.problems.append(
            Problem(
                context.file,
                node.start_mark.line + 1,
                f"this value cannot be read ({what}): put it in quotes to make it plain text",
            )
        )
        return _UNREADABLE


@dataclass
class _Context:
    """What :func:`_node_to_data` carries down the tree."""

    file: Path
    loader: yaml.SafeLoader
    lines: dict[Location, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: The blocks being read, outermost first (by ``id``): an alias to one of them is endless.
    open_nodes: set[int] = field(default_factory=set)
    #: How many values were read so far, aliases written out (see :data:`MAX_VALUES`).
    values: int = 0


def read_yaml(file: Path) -> SourceDocument:
    """Read one YAML file. Raises :class:`SourceError` if it cannot be parsed."""
    text = read_text(file, "YAML")
    import yaml  # here, not at the top: see the module docstring

    loader_class = _no_bool_loader()
    try:
        _check_depth(file, loader_class(text))
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.reader.ReaderError as error:
        raise SourceError([_hidden_character(file, text, error)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = error.problem or "the YAML could not be read"
        if error.context == "while scanning a quoted scalar" and error.context_mark:
            # The quote never closes, so PyYAML stops at the end of the file: point at the quote.
            mark = error.context_mark
            what = "a quote opened on this line is never closed"
        line = mark.line + 1 if mark else 1
        source_lines = text.splitlines()
        if 0 < line <= len(source_lines) and "\t" in source_lines[line - 1]:
            # The commonest cause, and libyaml's message does not name it.
            what = "this line has a tab character; YAML needs spaces for indentation"
        raise SourceError(
            [
                Problem(
                    file,
                    line,
                    f"YAML syntax error: {what}. Check the indentation and the quotes on this "
                    "line and the one above it",
                )
            ]
        ) from None
    if node is None:
        raise SourceError([Problem(file, 1, "the file is empty")])
    context = _Context(file=file, loader=loader_class(""))
    try:
        data = _node_to_data(node, (), context)
    except _TooManyValues:
        raise SourceError(
            [
                Problem(
                    file,
                    1,
                    f"holds more than {MAX_VALUES:,} values once its aliases (*name) are written "
                    "out: write the text out instead of using & and *",
                )
            ]
        ) from None
    if context.problems:
        raise SourceError(context.problems)
    return SourceDocument(file=file, data=data, lines=context.lines)


def _check_depth(file: Path, loader: yaml.SafeLoader) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, before the file is built into a tree.

    Read as a stream of events (libyaml's parser does not recurse, its composer does), so a
    file of ``[[[[…`` is one message at its line, not a crash.
    """
    depth = 0
    try:
        # types-PyYAML leaves Parser.get_event unannotated; it returns an Event or None.
        while (event := loader.get_event()) is not None:  # type: ignore[no-untyped-call]
            kind = type(event).__name__
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(
                        [
                            Problem(
                                file,
                                event.start_mark.line + 1,
                                f"blocks and lists are nested more than {MAX_DEPTH} deep here: "
                                "check the indentation and the brackets",
                            )
                        ]
                    )
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                depth -= 1
    finally:
        loader.dispose()


def _hidden_character(file: Path, text: str, error: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow, such as a control character pasted from elsewhere.

    The error's position is counted in bytes by libyaml and in characters by PyYAML, so the
    line is found from the character itself.
    """
    code = error.character if isinstance(error.character, int) else None
    index = text.find(chr(code)) if code is not None else -1
    line = text.count("\n", 0, index) + 1 if index >= 0 else 1
    name = f" (U+{code:04X})" if code is not None else ""
    return Problem(
        file,
        line,
        f"this line has a hidden character that is not allowed{name}: delete it, or type the "
        "line again",
    )


@functools.cache
def _no_bool_loader() -> type[yaml.SafeLoader]:
    """The loader class for the content files (made once, on the first YAML file read).

    libyaml's parser is used when PyYAML was built with it: about ten times faster on the
    content files; marks, and so line numbers, are the same.

    YAML 1.1 reads ``yes``/``no``/``on``/``off`` as booleans; staff mean the words. The
    self-check's answers are literally ``yes`` and ``no``, so only ``true`` and ``false`` are
    kept as booleans.
    """
    import yaml

    base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class NoBoolLoader(base):  # type: ignore[misc, valid-type]
        pass

    NoBoolLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
    }
    NoBoolLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )
    return NoBoolLoader


def read_toml(file: Path) -> SourceDocument:
    """Read one TOML file, with lines found for ``[table]`` and ``key =`` entries."""
    return toml_document(file, read_text(file, "settings"))


def toml_document(file: Path, text: str) -> SourceDocument:
    """The TOML ``text`` of ``file`` as a document. Raises :class:`SourceError`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else 1
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise SourceError(
            [Problem(file, line, f"TOML syntax error: {message}. Check quotes and '=' signs")]
        ) from None
    return SourceDocument(file=file, data=data, lines=_toml_lines(text))


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


def _toml_lines(text: str) -> dict[Location, int]:
    """Map ``(table, key)`` paths to lines for the simple TOML that ``kiosk.toml`` uses."""
    lines: dict[Location, int] = {}
    table: Location = ()
    for number, raw in enumerate(text.splitlines(), start=1):
        if table_match := _TABLE.match(raw):
            table = tuple(table_match.group(1).split("."))
            lines.setdefault(table, number)
        elif key_match := _KEY.match(raw):
            lines.setdefault((*table, key_match.group(1)), number)
    return lines

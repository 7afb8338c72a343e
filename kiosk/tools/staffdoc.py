"""The "Every field of the content files" part of ``docs/staff.md``, made from the code.

The content models (:mod:`kiosk.content.model`) and the settings (:mod:`kiosk.config`) are the only
truth about which keys exist, what they hold and their limits. This module turns them into
plain-language Markdown, so the staff guide cannot drift from what ``kiosk validate`` checks:
``tests/unit/test_staff_doc.py`` fails when the guide's generated part is out of date.

Regenerate with ``make docs`` (or ``python -m kiosk.tools.staffdoc``). Only the text between the
``BEGIN GENERATED`` and ``END GENERATED`` markers is replaced; the rest is written by hand.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import msgspec
from msgspec.structs import FieldInfo

from kiosk.config import Settings
from kiosk.content.model import FILES, UI_PLACEHOLDERS, UiText
from kiosk.content.site_layer import SITES_FOLDER, SiteFile
from kiosk.content.validation import (
    is_mapping,
    is_struct,
    is_union,
    meta_value,
    staff_fields,
    unwrap,
)

#: A content or settings model (a msgspec struct class).
Model = type[msgspec.Struct]

BEGIN = "<!-- BEGIN GENERATED -->"
END = "<!-- END GENERATED -->"
DEFAULT_GUIDE = Path("docs/staff.md")
REGENERATE = "make docs  (or: python -m kiosk.tools.staffdoc docs/staff.md)"


# --------------------------------------------------------------------------------------------
# Types in plain words
# --------------------------------------------------------------------------------------------


@dataclass
class Limits:
    """Every constraint found on a field and on the types it is made of."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    lowest: float | None = None
    highest: float | None = None
    #: A number or a switch: msgspec takes ``"120"`` for neither (types are checked strictly).
    unquoted: bool = False

    def add(self, metas: Sequence[msgspec.Meta]) -> None:
        """Take in the limits of ``msgspec.Meta`` objects (a later one wins)."""
        found = list(metas)
        self.min_length = meta_value(found, "min_length") or self.min_length
        self.max_length = meta_value(found, "max_length") or self.max_length
        self.pattern = meta_value(found, "pattern") or self.pattern
        lowest = meta_value(found, "ge")
        lowest = meta_value(found, "gt") if lowest is None else lowest
        highest = meta_value(found, "le")
        highest = meta_value(found, "lt") if highest is None else highest
        self.lowest = self.lowest if lowest is None else lowest
        self.highest = self.highest if highest is None else highest

    def merge(self, other: Limits) -> None:
        """Take in the limits of ``other`` where it has one."""
        for name, value in vars(other).items():
            if value not in (None, False):
                setattr(self, name, value)


@dataclass
class Described:
    """A type in plain words, the limits met on the way, and the models it contains."""

    words: str
    limits: Limits = field(default_factory=Limits)
    #: (path below this field, model) for every block of fields inside, in order.
    nested: list[tuple[str, Model]] = field(default_factory=list)
    #: Whether the annotation itself allows leaving the field out (``X | None``).
    optional: bool = False
    is_id: bool = False


def _strip_annotated(annotation: Any, limits: Limits) -> Any:
    """``Annotated[str, Meta(...)]`` -> ``str``, collecting the constraints."""
    bare, metas = unwrap(annotation)
    limits.add(metas)
    return bare


def describe(annotation: Any, path: str) -> Described:
    """Plain words for ``annotation``; ``path`` names where nested blocks of fields live."""
    limits = Limits()
    annotation = _strip_annotated(annotation, limits)
    if is_union(annotation):
        members = [a for a in get_args(annotation) if a is not type(None)]
        optional = len(members) < len(get_args(annotation))
        parts = [describe(member, path) for member in members]
        if len(parts) == 1:
            result = parts[0]
            result.limits.merge(limits)
        else:
            result = Described(" or ".join(part.words for part in parts), limits)
            for part in parts:
                result.nested.extend(part.nested)
        result.optional = result.optional or optional
        return result
    origin = get_origin(annotation)
    if origin is Literal:
        values = ", ".join(f"`{value}`" for value in get_args(annotation))
        return Described(f"one of {values}", limits)
    if origin is tuple:
        item = describe(get_args(annotation)[0], f"{path}[]")
        words = f"a list (one `- ` line per item); each item is {item.words}"
        return Described(words, limits, item.nested)
    if is_mapping(annotation):
        key_type, value_type = get_args(annotation)
        key = describe(key_type, path)
        key_name = "answer" if get_origin(_strip_annotated(key_type, Limits())) is Literal else "id"
        value = describe(value_type, f"{path}.<{key_name}>")
        words = f"a block of `key: value` lines; each key is {key.words}; each value is "
        words += value.words
        return Described(words, limits, value.nested)
    if is_struct(annotation):
        return Described(f"a block of fields (see `{path}` below)", limits, [(path, annotation)])
    if annotation is str:
        if limits.pattern:
            return Described(
                "an id (lower-case letters, digits and `_`, starting with a letter)",
                limits,
                is_id=True,
            )
        return Described("text", limits)
    if annotation in (bool, int, float):
        limits.unquoted = True
        names: dict[type, str] = {bool: "`true` or `false`", int: "a whole number"}
        return Described(names.get(annotation, "a number"), limits)
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return Described("a path, in quotes", limits)
    return Described(getattr(annotation, "__name__", str(annotation)), limits)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def limit_words(described: Described, *, is_list: bool, is_text: bool) -> list[str]:
    """The limits of one field as short phrases."""
    limits = described.limits
    words: list[str] = []
    if is_list or not is_text:
        if limits.min_length:
            entry = "entry" if limits.min_length == 1 else "entries"
            words.append(f"at least {limits.min_length} {entry}")
        if limits.max_length and is_list:
            words.append(f"at most {limits.max_length} entries")
    if is_text and limits.max_length:
        words.append(f"at most {limits.max_length} characters")
    if limits.lowest is not None and limits.highest is not None:
        words.append(f"from {_number(limits.lowest)} to {_number(limits.highest)}")
    elif limits.lowest is not None:
        words.append(f"at least {_number(limits.lowest)}")
    elif limits.highest is not None:
        words.append(f"at most {_number(limits.highest)}")
    if limits.unquoted:
        words.append("written without quotes")
    return words


# --------------------------------------------------------------------------------------------
# Fields and models as Markdown
# --------------------------------------------------------------------------------------------


def _docstring(model: Model) -> str:
    """The model's docstring as Markdown (Sphinx double back-quotes become single ones)."""
    text = inspect.cleandoc(model.__doc__ or "")
    return re.sub(r"``([^`]+)``", r"`\1`", text)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return f'"{value}"'


def _default_words(info: FieldInfo, toml: bool) -> str:
    """``optional (default: 120)``, or just ``optional`` when the default is "nothing"."""
    default = info.default
    if info.default_factory is not msgspec.NODEFAULT or default in (None, "", (), {}):
        return "optional"
    shown = _toml_value(default) if toml else f"{default}"
    return f"optional (default: `{shown}`)"


def description(annotation: Any) -> str:
    """A field's description: the ``Meta(description=...)`` of its type."""
    return (meta_value(unwrap(annotation)[1], "description") or "").strip()


def field_line(name: str, info: FieldInfo, path: str, model: Model, toml: bool) -> str:
    """One bullet: name, type in words, required or optional, limits, description."""
    described = describe(info.type, path)
    bare = _strip_annotated(info.type, Limits())
    members = [a for a in get_args(bare) if a is not type(None)] if is_union(bare) else [bare]
    is_list = all(get_origin(_strip_annotated(m, Limits())) is tuple for m in members)
    is_text = all(_strip_annotated(m, Limits()) is str for m in members)
    parts = [described.words]
    if info.required and not described.optional:
        parts.append("**required**")
    else:
        parts.append(_default_words(info, toml))
    parts.extend(limit_words(described, is_list=is_list, is_text=is_text and not described.is_id))
    if described.is_id and described.limits.max_length:
        parts.append(f"at most {described.limits.max_length} characters")
    if model is UiText:
        allowed = UI_PLACEHOLDERS.get(name)
        if allowed:
            parts.append("may use " + " and ".join(f"`{{{p}}}`" for p in sorted(allowed)))
    text = description(info.type)
    return f"- **`{name}`**: {', '.join(parts)}.{' ' + text if text else ''}"


def model_fields(model: Model) -> Iterator[tuple[str, FieldInfo]]:
    """The fields staff write, in the order of the code (internal ones left out)."""
    for info in staff_fields(model):
        yield info.encode_name, info


def render_model(
    model: Model, path: str, heading: str, toml: bool = False
) -> tuple[list[str], list[tuple[str, Model]]]:
    """A heading, the model's docstring and one bullet per field; plus the nested models."""
    lines = [heading, "", _docstring(model), ""]
    nested: list[tuple[str, Model]] = []
    for name, info in model_fields(model):
        field_path = f"{path}.{name}" if path else name
        lines.append(field_line(name, info, field_path, model, toml))
        nested.extend(describe(info.type, field_path).nested)
    lines.append("")
    return lines, nested


def render_file(file_name: str, model: Model) -> list[str]:
    """One content file: its top-level fields, then every block of fields inside it. A kind of
    block used in several places (an option's summary, pros and cons) is described once, under
    a heading that names every place."""
    lines, queue = render_model(model, "", f"### `{file_name}`")
    paths: dict[Model, list[str]] = {}
    while queue:
        path, nested_model = queue.pop(0)
        if nested_model in paths or nested_model is model:
            paths.setdefault(nested_model, []).append(path)
            continue
        paths[nested_model] = [path]
        queue.extend(render_model(nested_model, path, "")[1])
    for nested_model, where in paths.items():
        heading = f"#### `{file_name}`: " + ", ".join(f"`{path}`" for path in where)
        lines.extend(render_model(nested_model, where[0], heading)[0])
    return lines


def render_settings() -> list[str]:
    """``kiosk.toml``: one part per ``[table]``."""
    lines = [
        "### `kiosk.toml`",
        "",
        _docstring(Settings),
        "",
        "Text goes in quotes; numbers and `true`/`false` go without quotes. "
        "Every setting is optional: a missing one takes the default shown.",
        "",
    ]
    for name, info in model_fields(Settings):
        table = info.type
        if not is_struct(table):
            continue
        more, _ = render_model(table, "", f"#### `[{name}]`", toml=True)
        lines.extend(more)
    return lines


def render_fields() -> str:
    """The whole generated part (without the markers)."""
    lines = [
        "## Every field of the content files",
        "",
        "*This part is made from the kiosk's code (`kiosk/content/model.py`, "
        "`kiosk/content/site_layer.py` and `kiosk/config.py`) "
        f"by `{REGENERATE.split('  ')[0]}`. Do not edit it by hand: it would be overwritten, "
        "and the tests check that it matches the code.*",
        "",
        "How to read it: `sections[]` means *each item of the list `sections`*; "
        "`values.<id>` means *the value under each key you write in `values`*. "
        "Text is never empty. **required** keys must be there; optional ones may be left out. "
        "Every language folder (`content/en/`, `content/es/`, …) has the same six files "
        "with the same keys.",
        "",
    ]
    for file_name, model in FILES.items():
        lines.extend(render_file(file_name, model))
    lines.extend(render_file(f"{SITES_FOLDER}/<site>.yaml", SiteFile))
    lines.extend(render_settings())
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# The guide file
# --------------------------------------------------------------------------------------------


def generated_part(document: str) -> str:
    """The text between the markers. Raises ``ValueError`` when they are missing."""
    start = document.find(BEGIN)
    end = document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the markers {BEGIN} and {END} are missing or out of order")
    return document[start + len(BEGIN) : end].strip("\n") + "\n"


def splice(document: str, generated: str) -> str:
    """``document`` with the text between the markers replaced by ``generated``."""
    generated_part(document)  # checks the markers
    start = document.index(BEGIN) + len(BEGIN)
    end = document.index(END)
    return f"{document[:start]}\n{generated.rstrip()}\n{document[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kiosk.tools.staffdoc [GUIDE] [--check]``: update (or check) the generated
    part."""
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.tools.staffdoc",
        description="Regenerate the 'Every field' part of the staff guide from the code.",
    )
    parser.add_argument("guide", nargs="?", type=Path, default=DEFAULT_GUIDE)
    parser.add_argument(
        "--check", action="store_true", help="only check; exit 1 if the guide is out of date"
    )
    args = parser.parse_args(argv)
    guide: Path = args.guide
    try:
        document = guide.read_text(encoding="utf-8")
        updated = splice(document, render_fields())
    except (OSError, ValueError) as error:
        print(f"{guide}: {error}", file=sys.stderr)
        return 1
    if updated == document:
        print(f"{guide} is up to date.")
        return 0
    if args.check:
        print(f"{guide} is out of date: run {REGENERATE}", file=sys.stderr)
        return 1
    guide.write_text(updated, encoding="utf-8")
    print(f"{guide}: generated part updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

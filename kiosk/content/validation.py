"""Every mistake in a content or settings file at once, in plain words for clinic staff.

The models (:mod:`kiosk.content.model`, :mod:`kiosk.config`) are msgspec structs: msgspec imports
and validates in a few milliseconds, which the kiosk's start-up needs. But msgspec stops at the
first mistake and words it for programmers (``Expected `str`, got `int` - at `$.rows[0].id```),
while
``kiosk validate`` promises staff *every* mistake of every file as ``file:line: sentence``.

So good data takes the fast path (:func:`convert`: one ``msgspec.convert`` call, strict about
types), and only data that fails it is walked (:func:`find_problems`): the walker follows the
model's fields over the data, lets msgspec judge each value against its part of the type (so
msgspec stays the one judge of what is valid), and words each failure from what the walker knows
of the expected type (text of at most N characters, an id, one of a few words, a whole number
from 10 to 3600, …). The location of each problem is a path into the data, which
:meth:`~kiosk.content.yamlsource.SourceDocument.line_of` turns into the line staff look at.
"""

from __future__ import annotations

import dataclasses
import re
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

import msgspec

from kiosk.content.yamlsource import Location, Problem, SourceDocument

T = TypeVar("T")

#: ``Meta(extra=INTERNAL)`` marks a field that staff never write (such as the folder of
#: ``kiosk.toml``): it is not offered in "allowed here" hints nor shown in the staff guide.
INTERNAL: dict[str, Any] = {"internal": True}


class FieldError(ValueError):
    """Raised by a model's ``__post_init__`` when one of its fields is wrong.

    msgspec reports a ``__post_init__`` error at the model as a whole; naming the field lets
    :func:`find_problems` point at that field's line.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class InvalidDocument(Exception):
    """A document does not fit its model; ``problems`` lists every mistake."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


# --------------------------------------------------------------------------------------------
# The fast path
# --------------------------------------------------------------------------------------------


def _dec_hook(expected: type, value: Any) -> Any:
    """msgspec has no built-in paths: a path is written as text."""
    if expected is Path and isinstance(value, str | Path):
        return Path(value)
    raise TypeError(f"Expected `{expected.__name__}`, got `{type(value).__name__}`")


def convert(data: Any, model: type[T]) -> T:
    """``data`` as a ``model``, strict about types: ``5`` is not text and ``"5"`` no number.

    Raises ``msgspec.ValidationError`` at the first mistake.
    """
    return msgspec.convert(data, type=model, strict=True, dec_hook=_dec_hook)


def validate(document: SourceDocument, model: type[T]) -> T:
    """``document.data`` as a ``model``. Raises :class:`InvalidDocument` with every mistake."""
    try:
        return convert(document.data, model)
    except msgspec.ValidationError as error:
        problems = find_problems(document, model)
        if not problems:  # the walker should always find it; never let bad data through
            problems = [Problem(document.file, document.line_of(()), str(error))]
        raise InvalidDocument(problems) from None


# --------------------------------------------------------------------------------------------
# Reading a model's types
# --------------------------------------------------------------------------------------------


def unwrap(annotation: Any) -> tuple[Any, list[msgspec.Meta]]:
    """``Annotated[str, Meta(...), Meta(...)]`` -> ``(str, [Meta(...), Meta(...)])``."""
    metas: list[msgspec.Meta] = []
    while get_origin(annotation) is Annotated:
        metas.extend(m for m in annotation.__metadata__ if isinstance(m, msgspec.Meta))
        annotation = get_args(annotation)[0]
    return annotation, metas


def meta_value(metas: list[msgspec.Meta], name: str) -> Any:
    """The last ``name`` set in ``metas`` (an alias's limits come first, a field's own last)."""
    values = [getattr(meta, name) for meta in metas if getattr(meta, name) is not None]
    return values[-1] if values else None


def is_union(annotation: Any) -> bool:
    """``A | B`` or ``Optional[A]``."""
    return get_origin(annotation) in (Union, types.UnionType)


def is_struct(annotation: Any) -> bool:
    """A model class (a msgspec struct)."""
    return isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)


def is_mapping(annotation: Any) -> bool:
    """``Mapping[K, V]`` or ``dict[K, V]``."""
    origin = get_origin(annotation)
    return isinstance(origin, type) and issubclass(origin, Mapping)


def staff_fields(model: type[msgspec.Struct]) -> Iterator[msgspec.structs.FieldInfo]:
    """The fields staff write, in the order of the code (internal ones left out)."""
    for info in msgspec.structs.fields(model):
        extra = meta_value(unwrap(info.type)[1], "extra") or {}
        if not extra.get("internal"):
            yield info


# --------------------------------------------------------------------------------------------
# The slow path: every mistake, in words
# --------------------------------------------------------------------------------------------


def find_problems(document: SourceDocument, model: type[Any]) -> list[Problem]:
    """Every mistake in ``document.data`` for ``model``, each at its line, once."""
    walker = _Walker(document)
    try:
        walker.walk(document.data, model, ())
    except _EnoughProblems:
        walker.problems.append(
            Problem(
                document.file,
                walker.problems[-1].line,
                f"… and more mistakes after these {MAX_PROBLEMS_PER_FILE}: fix these first",
            )
        )
    return walker.problems


#: The walker stops after this many mistakes in one file: a file of thousands of wrong lines
#: is the wrong file, and listing them all froze a running kiosk for seconds.
MAX_PROBLEMS_PER_FILE = 100


class _EnoughProblems(Exception):
    """Raised by :meth:`_Walker.add` once :data:`MAX_PROBLEMS_PER_FILE` are found."""


@dataclasses.dataclass
class _Walker:
    """Follows a model's type over the data, collecting a problem for each wrong value."""

    document: SourceDocument
    problems: list[Problem] = dataclasses.field(default_factory=list)
    #: Mistakes found so far, duplicates included (to tell whether a subtree had any).
    found: int = 0
    _seen: set[tuple[int, str]] = dataclasses.field(default_factory=set)

    def add(self, location: Location, message: str) -> None:
        self.found += 1
        file, line = self.document.where(location)
        # A value that fails both members of a union may be told the same thing twice.
        if (line, message) not in self._seen:
            self._seen.add((line, message))
            self.problems.append(Problem(file, line, message))
            if len(self.problems) >= MAX_PROBLEMS_PER_FILE:
                raise _EnoughProblems

    def walk(self, value: Any, annotation: Any, location: Location) -> None:
        if _accepts(value, annotation):
            return
        bare, metas = unwrap(annotation)
        if is_union(bare):
            # None is fine where allowed (else msgspec would have accepted it). Any other value
            # is measured against the member its shape points to: a block of 'key: value' lines
            # was meant as the model (a list of points), anything else as text. Measured against
            # every member, it would get two contradicting messages.
            members = [member for member in get_args(bare) if member is not type(None)]
            models = [member for member in members if is_struct(unwrap(member)[0])]
            others = [member for member in members if member not in models]
            for member in (models if isinstance(value, dict) else others) or members:
                self.walk(value, member, location)
        elif is_struct(bare):
            self.walk_struct(value, bare, location)
        elif get_origin(bare) is tuple:
            self.walk_list(value, get_args(bare)[0], meta_value(metas, "min_length"), location)
        elif is_mapping(bare):
            key_type, value_type = get_args(bare)
            self.walk_mapping(value, key_type, value_type, location)
        else:
            self.add(location, _sentence(value, annotation, location))

    def walk_struct(self, value: Any, model: type[msgspec.Struct], location: Location) -> None:
        if not isinstance(value, dict):
            self.add(location, f"{location_name(location)} should be a block of 'key: value' lines")
            return
        found = self.found
        fields = msgspec.structs.fields(model)
        for info in fields:
            if info.encode_name in value:
                self.walk(value[info.encode_name], info.type, (*location, info.encode_name))
            elif info.required:
                self.add(
                    (*location, info.encode_name),
                    f"'{info.encode_name}' is missing in {location_name(location)}: add it "
                    "(see docs/staff.md)",
                )
        names = {info.encode_name for info in fields}
        allowed = ", ".join(info.encode_name for info in staff_fields(model))
        for key in value:
            if key not in names:
                hint = f" (allowed here: {allowed})" if allowed else ""
                self.add(
                    (*location, key), f"unknown key '{key}': remove it or fix its spelling{hint}"
                )
        if self.found == found:
            self.check_post_init(value, model, location)

    def check_post_init(self, value: Any, model: type[Any], location: Location) -> None:
        """Every field is right, so a failure now comes from the model's ``__post_init__``."""
        try:
            convert(value, model)
        except msgspec.ValidationError as error:
            cause = error.__cause__
            field = getattr(cause, "field", None)
            where = (*location, field) if field else location
            self.add(where, f"{location_name(where)}: {cause or _without_path(error)}")

    def walk_list(
        self, value: Any, item_type: Any, min_length: int | None, location: Location
    ) -> None:
        if not isinstance(value, list):
            self.add(
                location, f"{location_name(location)} should be a list (lines starting with '- ')"
            )
            return
        found = self.found
        for index, item in enumerate(value):
            self.walk(item, item_type, (*location, index))
        if self.found == found and min_length and len(value) < min_length:
            self.add(location, f"{location_name(location)} needs at least {min_length} entries")

    def walk_mapping(self, value: Any, key_type: Any, value_type: Any, location: Location) -> None:
        if not isinstance(value, dict):
            self.add(location, f"{location_name(location)} should be a block of 'key: value' lines")
            return
        for key, item in value.items():
            self.walk(key, key_type, (*location, key))
            self.walk(item, value_type, (*location, key))


def _accepts(value: Any, annotation: Any) -> bool:
    """Whether msgspec takes ``value`` as ``annotation``."""
    try:
        convert(value, annotation)
    except msgspec.ValidationError:
        return False
    return True


def _without_path(error: msgspec.ValidationError) -> str:
    """msgspec's message without its `` - at `$...``` suffix."""
    return re.sub(r" - at `[^`]*`$", "", str(error))


def location_name(location: Location) -> str:
    """A readable name for a location, e.g. ``options[3].pros`` (lists counted from 1)."""
    text = ""
    for part in location:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "the file"


def _one_of(values: tuple[Any, ...]) -> str:
    """``'yes', 'no' or 'not_sure'``."""
    quoted = [repr(value) for value in values]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _sentence(value: Any, annotation: Any, location: Location) -> str:
    """Why ``value`` is not an ``annotation`` (a single value's type), in plain words."""
    where = location_name(location)
    expected, metas = unwrap(annotation)
    if expected is str:
        if value is None:
            return f"{where} should be some text, not left empty"
        if isinstance(value, list):
            return f"{where} should be some text, not a list: remove the '- ' in front of it"
        if isinstance(value, dict):
            return f"{where} should be some text, not a block of 'key: value' lines"
        if not isinstance(value, str):
            return f'{where} should be some text: put it in quotes, e.g. "{value}"'
        min_length = meta_value(metas, "min_length")
        max_length = meta_value(metas, "max_length")
        if min_length is not None and len(value) < min_length:
            return f"{where} should be some text, not left empty"
        if max_length is not None and len(value) > max_length:
            return (
                f"{where} is too long to fit on screen: keep it to {max_length} characters or fewer"
            )
        examples = meta_value(metas, "examples")
        if meta_value(metas, "pattern") is not None and examples:
            return f"{where} '{value}' is not written as it should be: write it like " + (
                " or ".join(repr(example) for example in examples)
            )
        if meta_value(metas, "pattern") is not None:
            return (
                f"{where} '{value}' is not a valid id: use lower-case letters, digits and "
                "underscores, starting with a letter (e.g. dual_diagnosis)"
            )
    if get_origin(expected) is Literal:
        return (
            f"{where} is '{value}', which is not allowed: use one of {_one_of(get_args(expected))}"
        )
    if expected is bool:
        return f"{where} should be true or false"
    if expected is int:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{where} should be a whole number"
        lowest, highest = meta_value(metas, "ge"), meta_value(metas, "le")
        if lowest is not None and value < lowest:
            return f"{where}: input should be greater than or equal to {lowest}"
        if highest is not None and value > highest:
            return f"{where}: input should be less than or equal to {highest}"
    if expected is Path:
        return f'{where} should be a path, in quotes, e.g. "content"'
    # A type the kiosk does not use yet: msgspec's own words are better than none.
    try:
        convert(value, annotation)
    except msgspec.ValidationError as error:
        return f"{where}: {_without_path(error)}"
    return f"{where} is not allowed here"

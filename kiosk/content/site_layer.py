"""A lobby's own settings over a clinic group's shared content: the site layer.

One content folder serves every lobby of a group. What differs per lobby lives in a small
site file, ``content/sites/<site>.yaml``, chosen by ``site = "<site>"`` in ``kiosk.toml``:

* ``clinic``: the clinic's name, phone number (and the number its QR code calls) and hours,
  put into every language's ``help.yaml``;
* ``languages`` and ``default_language``: which of the content's languages this lobby shows,
  in which order, and which one a reset returns to;
* ``overrides``: any other text, by its place (``help.clinic_detail``,
  ``learn.sections.understanding_iop.summary``: the file, then keys, and list items by their
  ``id``), per language. ``replaces:`` may hold the shared text the override was written against, so
  that ``kiosk validate`` warns when head office has changed that text since.

The layer is applied to the staff files' data before any check runs, so a site's texts pass
exactly the checks the shared ones do. Every place a site replaces a shared text is reported
(:class:`Replaced`), for ``kiosk validate`` to show. Pure: no Textual.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from kiosk.content.validation import InvalidDocument, validate
from kiosk.content.yamlsource import Location, Problem, SourceDocument, SourceError, read_yaml

#: The folder of site files inside the content folder (never a language).
SITES_FOLDER = "sites"
#: Site names: what ``site =`` in ``kiosk.toml`` and the file's name may be.
SITE_NAME = r"^[a-z0-9][a-z0-9-]{0,39}$"
#: What a clinic's phone link looks like.
PHONE_LINK = re.compile(r"^tel:\+?[0-9]{3,15}$")
#: The first part of an override's place, and the file it names.
FILE_OF_PLACE = {
    "ui": "ui.yaml",
    "help": "help.yaml",
    "learn": "learn.yaml",
    "compare": "compare.yaml",
    "selfcheck": "selfcheck.yaml",
    "sources": "sources.yaml",
}


class _SiteModel(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of the site file's parts: unknown keys are mistakes (a misspelt key must not be
    ignored silently)."""


class ClinicSettings(_SiteModel, frozen=True):
    """``clinic:`` what every lobby has its own of."""

    name: Annotated[str | None, Meta(description="The clinic's name, in every language.")] = None
    phone: Annotated[
        str | None, Meta(description='The clinic\'s phone number as shown, e.g. "(206) 555-0134".')
    ] = None
    phone_link: Annotated[
        str | None,
        Meta(
            description='What the clinic\'s QR code calls: tel: and the digits, "tel:+12065550134".'
        ),
    ] = None
    hours: Annotated[
        str | dict[str, str] | None,
        Meta(description="Opening hours: one text, or one per language (en: ..., es: ...)."),
    ] = None


class TextOverride(_SiteModel, frozen=True):
    """One text a lobby says differently."""

    text: Annotated[str, Meta(min_length=1, description="What this lobby shows instead.")]
    replaces: Annotated[
        str | None,
        Meta(description="The shared text this was written against (validate warns if changed)."),
    ] = None


class SiteFile(_SiteModel, frozen=True):
    """All of a site file, ``content/sites/<site>.yaml``."""

    name: Annotated[str, Meta(min_length=1, description="The lobby's name, for staff.")]
    clinic: ClinicSettings = msgspec.field(default_factory=ClinicSettings)
    languages: Annotated[
        tuple[str, ...],
        Meta(description="Languages this lobby shows, in order (empty: all of the content's)."),
    ] = ()
    default_language: Annotated[
        str | None, Meta(description="Language after every reset (instead of kiosk.toml's).")
    ] = None
    overrides: Annotated[
        dict[str, dict[str, TextOverride]],
        Meta(description="language -> place of a text -> the text this lobby shows."),
    ] = msgspec.field(default_factory=dict)


@dataclass(frozen=True)
class Edit:
    """One text the site sets: where (language, file, place) and from which line of the site
    file."""

    language: str
    file: str
    place: tuple[str, ...]
    text: str
    replaces: str | None
    site_line: int
    #: How staff wrote it, for messages: ``clinic.phone`` or ``help.clinic_detail``.
    label: str


@dataclass(frozen=True)
class Replaced:
    """A shared text a site replaces, as ``kiosk validate`` reports it."""

    site_file: Path
    site_line: int
    label: str
    shared_file: Path
    shared_line: int
    shared_text: str
    #: The override's ``replaces:`` no longer matches the shared text.
    changed: bool

    def __str__(self) -> str:
        where = f"{self.site_file}:{self.site_line}: {self.label} replaces"
        shared = f"{self.shared_file}:{self.shared_line} {_quote(self.shared_text)}"
        if self.changed:
            return (
                f"{where} {shared}. WARNING: that shared text changed since this override was "
                "written: check the override still fits, then copy the new text into replaces:"
            )
        return f"{where} {shared}"


def _quote(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return f'"{one_line}"' if len(one_line) <= limit else f'"{one_line[: limit - 1]}…"'


@dataclass(frozen=True)
class SiteLayer:
    """A site file, read and checked: the edits it makes to each language's files."""

    site: str
    file: Path
    settings: SiteFile
    edits: tuple[Edit, ...]
    #: The site file as read, for line numbers.
    document: SourceDocument

    def edits_for(self, language: str, file: str) -> list[Edit]:
        """The edits to ``language``'s ``file`` (``help.yaml``)."""
        return [
            edit
            for edit in self.edits
            # Hours given per language apply to that language only.
            if edit.file == file and edit.language in (language, "*")
        ]

    def apply(
        self, language: str, documents: Mapping[str, SourceDocument]
    ) -> tuple[dict[str, SourceDocument], list[Replaced], list[Problem]]:
        """``language``'s files (by name) with this site's texts put in: the new documents,
        every shared text replaced, and a problem for every place not found.

        The clinic's name is replaced wherever the shared texts say it (a welcome line, "Provided
        by …"), not only in ``help.yaml``: the shared content names the group's clinic once per
        text, and a lobby must never show another lobby's name.
        """
        replaced: list[Replaced] = []
        problems: list[Problem] = []
        result = dict(documents)
        help_document = documents.get("help.yaml")
        shared_name = help_document.data.get("clinic_name") if help_document else None
        new_name = self.settings.clinic.name
        for name, document in documents.items():
            edits = self.edits_for(language, name)
            renaming = isinstance(shared_name, str) and shared_name and new_name is not None
            if not edits and not renaming:
                continue
            data = copy.deepcopy(document.data)
            placed = dict(document.placed)
            if renaming:
                assert isinstance(shared_name, str) and new_name is not None
                count = _rename(data, shared_name, new_name)
                if count and name != "help.yaml":
                    replaced.append(
                        Replaced(
                            site_file=self.file,
                            site_line=self.document.line_of(("clinic", "name")),
                            label=f"clinic.name ({language}, {count} text(s))",
                            shared_file=document.file,
                            shared_line=document.line_of(()),
                            shared_text=shared_name,
                            changed=False,
                        )
                    )
            for edit in edits:
                found = _find(data, edit.place)
                if isinstance(found, str):
                    message = f"{edit.label} ({language}): {found}, in {language}/{name}"
                    problems.append(Problem(self.file, edit.site_line, message))
                    continue
                container, key, location = found
                shared = document_value(document.data, location)
                if not isinstance(shared, str):
                    problems.append(
                        Problem(
                            self.file,
                            edit.site_line,
                            f"{edit.label} ({language}) in {language}/{name} is not a text: "
                            "only a text can be replaced (name the text inside it)",
                        )
                    )
                    continue
                container[key] = edit.text
                placed[tuple(location)] = (self.file, edit.site_line)
                replaced.append(
                    Replaced(
                        site_file=self.file,
                        site_line=edit.site_line,
                        label=f"{edit.label} ({language})",
                        shared_file=document.file,
                        shared_line=document.line_of(location),
                        shared_text=shared,
                        changed=edit.replaces is not None and edit.replaces.strip() != shared,
                    )
                )
            result[name] = SourceDocument(document.file, data, document.lines, placed)
        return result, replaced, problems

    def shown_languages(self, available: list[str]) -> tuple[list[str], list[Problem]]:
        """The languages this lobby shows, in order, and a problem for each one it names that
        the content does not have."""
        if not self.settings.languages:
            return available, []
        problems = [
            self.problem(
                ("languages", index),
                f"language '{language}' has no folder in the content "
                f"(there are: {', '.join(available)})",
            )
            for index, language in enumerate(self.settings.languages)
            if language not in available
        ]
        return [language for language in self.settings.languages if language in available], problems

    def problem(self, location: Location, message: str) -> Problem:
        """A problem at ``location`` of the site file."""
        return self.document.problem(location, message)


def site_file(content_folder: Path, site: str) -> Path:
    """Where the site file of ``site`` lives."""
    return content_folder / SITES_FOLDER / f"{site}.yaml"


def site_names(content_folder: Path) -> list[str]:
    """Every site file in ``content_folder``'s sites folder, by name."""
    folder = content_folder / SITES_FOLDER
    if not folder.is_dir():
        return []
    return sorted(path.stem for path in folder.glob("*.yaml") if not path.name.startswith("."))


def read_site(content_folder: Path, site: str) -> SiteLayer:
    """Read and check ``content/sites/<site>.yaml``. Raises :class:`SourceError` with every
    mistake, each as ``file:line: what to do``."""
    file = site_file(content_folder, site)
    if not file.is_file():
        found = site_names(content_folder)
        hint = f" (there are: {', '.join(found)})" if found else ""
        raise SourceError(
            [Problem(file, 1, f"site file not found: kiosk.toml names site '{site}'{hint}")]
        )
    document = read_yaml(file)
    try:
        settings = validate(document, SiteFile)
    except InvalidDocument as error:
        raise SourceError(error.problems) from None
    edits, problems = _edits(document, settings)
    if problems:
        raise SourceError(problems)
    return SiteLayer(site, file, settings, tuple(edits), document)


def _edits(document: SourceDocument, settings: SiteFile) -> tuple[list[Edit], list[Problem]]:
    edits: list[Edit] = []
    problems: list[Problem] = []
    clinic = settings.clinic

    def clinic_edit(field: str, place: tuple[str, ...], text: str, language: str = "*") -> None:
        location: Location = ("clinic", field) if language == "*" else ("clinic", field, language)
        edits.append(
            Edit(
                language=language,
                file="help.yaml",
                place=place,
                text=text,
                replaces=None,
                site_line=document.line_of(location),
                label=f"clinic.{field}",
            )
        )

    if clinic.name is not None:
        clinic_edit("name", ("clinic_name",), clinic.name)
    if clinic.phone is not None:
        clinic_edit("phone", ("clinic_phone",), clinic.phone)
    if isinstance(clinic.hours, str):
        clinic_edit("hours", ("clinic_hours",), clinic.hours)
    elif isinstance(clinic.hours, Mapping):
        for language, hours in clinic.hours.items():
            clinic_edit("hours", ("clinic_hours",), hours, language)
    if clinic.phone_link is not None and not PHONE_LINK.match(clinic.phone_link):
        problems.append(
            document.problem(
                ("clinic", "phone_link"),
                f"phone_link '{clinic.phone_link}' is not a phone link: write tel: and the "
                'number\'s digits, with + and the country code, e.g. "tel:+12065550134"',
            )
        )
    elif clinic.phone_link is not None:
        # Every QR code of the clinic's line that calls (tel:) calls this lobby's number.
        clinic_edit("phone_link", ("clinic_qr", "tel:", "target"), clinic.phone_link)
    for language, texts in settings.overrides.items():
        for place, override in texts.items():
            parts = tuple(place.split("."))
            location: Location = ("overrides", language, place)
            if len(parts) < 2 or parts[0] not in FILE_OF_PLACE or not all(parts):
                problems.append(
                    document.problem(
                        location,
                        f"'{place}' is not the place of a text: start with the file "
                        f"({', '.join(FILE_OF_PLACE)}), then the keys, for example "
                        "help.clinic_detail or learn.sections.understanding_iop.summary",
                    )
                )
                continue
            edits.append(
                Edit(
                    language=language,
                    file=FILE_OF_PLACE[parts[0]],
                    place=parts[1:],
                    text=override.text.strip(),
                    replaces=override.replaces,
                    site_line=document.line_of(location),
                    label=place,
                )
            )
    return edits, problems


def _find(data: Any, place: tuple[str, ...]) -> tuple[Any, Any, Location] | str:
    """The container and key of the value at ``place`` (keys of mappings; list items by their
    ``id``, a help line by its ``number``, a QR code by the start of its target), and its
    location for line numbers; or a message saying what was not found."""
    container: Any = None
    key: Any = None
    value = data
    location: list[str | int] = []
    for depth, part in enumerate(place):
        where = ".".join(place[:depth]) or "the file"
        if isinstance(value, dict):
            if part not in value:
                known = ", ".join(sorted(str(name) for name in value)[:12])
                return f"'{part}' is not in {where} (it has: {known})"
            container, key, value = value, part, value[part]
            location.append(part)
        elif isinstance(value, list):
            index = _item_index(value, part)
            if index is None:
                names = [_item_name(item) for item in value]
                known = ", ".join(name for name in names if name)
                return f"no item '{part}' in {where}" + (f" (it has: {known})" if known else "")
            container, key, value = value, index, value[index]
            location.append(index)
        else:
            return f"{where} holds no '{part}': it is a text, not a group"
    return container, key, tuple(location)


def _item_index(items: list[Any], part: str) -> int | None:
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        if item.get("id") == part or item.get("number") == part:
            return index
        target = item.get("target")
        if isinstance(target, str) and part.endswith(":") and target.startswith(part):
            return index
    return None


def _item_name(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    return str(item.get("id") or item.get("number") or "")


def document_value(data: Any, location: Location) -> Any:
    """The value at ``location`` (keys and list indexes) of a document's data."""
    value = data
    for part in location:
        value = value[part]
    return value


def _rename(data: Any, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in every text of ``data`` (in place); return how many texts
    changed."""
    count = 0
    items: list[tuple[Any, Any]] = []
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    for key, value in items:
        if isinstance(value, str):
            if old in value:
                data[key] = value.replace(old, new)
                count += 1
        else:
            count += _rename(value, old, new)
    return count

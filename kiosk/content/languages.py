"""Warnings for a translation, for ``kiosk validate``: what a schema cannot see.

A new language is made by copying a language folder and translating it (docs/staff.md,
"Adding a language"). Mistakes that break the kiosk are errors of the loader
(:mod:`kiosk.content.model`: ids missing or extra against English, answer keys that collide
or cannot be typed). What is left are things a visitor would notice but that do not stop the
kiosk, so they are warnings, each as ``file:line: WARNING: …``:

* **Text left as in English**: a sentence still the same as the English one at the same place
  (names, numbers, phone numbers and web addresses are left out).
* **Labels too wide** for their buttons on the smallest screen the kiosk supports, a 60-column
  portrait touchscreen, measured in terminal cells (a Chinese character takes two cells,
  Vietnamese stacked marks none). The room of each kind of button was measured on that screen
  (``tests/functional/test_language_layout.py`` checks every button on screen the same way).
* **Characters the launcher cannot draw** (:func:`drawing_warnings`): the Linux text console
  cannot draw Chinese at all, and draws Vietnamese or Cyrillic only with the matching console
  font; the graphical launchers need fonts for them (fonts-noto-cjk for Chinese).
* **Languages** named in kiosk.toml's ``languages`` that have no folder.
* **Audio-guide phrases missing** (:func:`guide_warnings`): a language whose ``ui.yaml`` lacks
  some of the ``guide:`` phrases is guided in English words for those, said in that
  language's voice, which a listener of that language cannot follow.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from kiosk.content.model import (
    FILES,
    REFERENCE_LANGUAGE,
    Content,
    ContentLibrary,
    GuideText,
    strip_text,
)
from kiosk.content.yamlsource import Location, SourceDocument, SourceError, read_yaml
from kiosk.rules.cells import cell_width as cell_len

#: At most this many "same as English" warnings per language (then "… and N more").
MAX_SAME_AS_ENGLISH = 12

#: Keys whose values are the same in every language: ids, sources, numbers, addresses.
_NOT_TRANSLATED = frozenset(
    {
        "id",
        "source",
        "target",
        "url",
        "mark",
        "date",
        "number",
        "clinic_name",
        "clinic_phone",
        "clinic_hours",
        "short_name",
        "terms",
        "result",
        "points_to",
        "answer_yes_key",
        "answer_no_key",
        "answer_not_sure_key",
        "spoken_as",
        "when_any",
    }
)
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class StaffWarning:
    """One warning, at a line of a file (printed like a problem)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: WARNING: {self.message}"


def _is_a_name(text: str) -> bool:
    """Text that stays the same in every language: no letters (numbers, signs), a web
    address, an acronym (IOP), or a short name of capitalised words (SMART Recovery,
    Northpoint Evergreen)."""
    if not _LETTER.search(text):
        return True
    words = text.split()
    if len(words) == 1 and "." in text and " " not in text:
        return True  # findtreatment.gov
    if len(words) == 1:
        # An acronym (IOP, SMART), or a word so short that languages share it (No).
        return text.isupper() or len(text) <= 2
    return len(words) <= 3 and all(word[:1].isupper() or word[:1].isdigit() for word in words)


def _texts(data: Any, location: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every text of a document with its location, keys that are never translated left out."""
    if isinstance(data, str):
        yield location, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key not in _NOT_TRANSLATED:
                yield from _texts(value, (*location, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _texts(item, (*location, index))


def _value_at(data: Any, location: Location) -> Any:
    for part in location:
        in_list = isinstance(part, int) and isinstance(data, list) and part < len(data)
        in_block = isinstance(part, str) and isinstance(data, dict) and part in data
        if not (in_list or in_block):
            return None
        data = data[part]
    return data


def _documents(folder: Path) -> dict[str, SourceDocument]:
    documents = {}
    for name in FILES:
        try:
            document = read_yaml(folder / name)
        except (SourceError, OSError):
            continue  # the loader has reported it already
        documents[name] = replace(document, data=strip_text(document.data))
    return documents


def same_as_english(library: ContentLibrary) -> list[StaffWarning]:
    """A warning for each text of a language that is still the English text."""
    english_folder = library.folder / REFERENCE_LANGUAGE
    if REFERENCE_LANGUAGE not in library.languages:
        return []
    english = _documents(english_folder)
    warnings: list[StaffWarning] = []
    for language in library.languages:
        if language == REFERENCE_LANGUAGE:
            continue
        found: list[StaffWarning] = []
        for name, document in _documents(library.folder / language).items():
            reference = english.get(name)
            if reference is None:
                continue
            for location, text in _texts(document.data):
                if text == _value_at(reference.data, location) and not _is_a_name(text):
                    found.append(
                        StaffWarning(
                            document.file,
                            document.line_of(location),
                            f"the same text as in English ({reference.file.name}:"
                            f"{reference.line_of(location)}): translate it (names may stay)",
                        )
                    )
        warnings += found[:MAX_SAME_AS_ENGLISH]
        if len(found) > MAX_SAME_AS_ENGLISH:
            more = len(found) - MAX_SAME_AS_ENGLISH
            warnings.append(
                StaffWarning(
                    library.folder / language,
                    1,
                    f"… and {more} more texts the same as in English: is this folder "
                    "translated yet?",
                )
            )
    return warnings


# --------------------------------------------------------------------------------------------
# Widths at 60 columns
# --------------------------------------------------------------------------------------------

#: Room, in cells, for a label of each kind of button on a 60x40 screen (measured, focus
#: arrows included where a focused button shows them): field -> room.
UI_LABEL_ROOM: Mapping[str, int] = {
    # Welcome: the three areas (after "1  "), then two columns of option buttons.
    "learn_button": 25,
    "compare_button": 25,
    "selfcheck_button": 25,
    "language_button": 21,
    "high_contrast_button": 21,
    "normal_contrast_button": 21,
    "read_aloud_button": 21,
    # The self-check's answer buttons, three in a row.
    "answer_yes": 9,
    "answer_no": 9,
    "answer_not_sure": 9,
    "language_name": 21,
}
#: The top bar's four buttons share one row: together their labels may be this wide.
NAV_ROW_ROOM = 24
NAV_ROW_FIELDS = ("back_button", "home_button", "help_button", "hide_button")
#: The welcome screen's row of option buttons on an 80-column screen (without Read aloud).
WELCOME_ROW_ROOM = 80
#: A Learn tab's label (three tabs a row, 17 cells each inside their borders). The focus
#: arrows take 4 more: on a 60-column screen a focused tab of 14 cells or more loses its
#: right arrow in every language (English too); its border still shows the focus.
SECTION_TITLE_ROOM = 17
#: An option's short name in the comparison's picker and narrow columns.
SHORT_NAME_ROOM = 14


def guide_warnings(library: ContentLibrary) -> list[StaffWarning]:
    """A warning for each language other than English whose ``ui.yaml`` lacks audio-guide
    phrases (``guide:``): those would be said in English, in that language's voice."""
    phrases = GuideText.__struct_fields__
    warnings: list[StaffWarning] = []
    for language in library.languages:
        if language == REFERENCE_LANGUAGE:
            continue
        ui = _documents(library.folder / language).get("ui.yaml")
        if ui is None:
            continue  # the loader has reported it already
        guide = ui.data.get("guide") if isinstance(ui.data, dict) else None
        given = guide if isinstance(guide, dict) else {}
        missing = [name for name in phrases if name not in given]
        if missing:
            location: Location = ("guide",) if given else ()
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            warnings.append(
                StaffWarning(
                    ui.file,
                    ui.line_of(location),
                    f"guide: {len(missing)} of the {len(phrases)} audio-guide phrases are not "
                    f"translated ({shown}): a blind visitor hears them in English, in the "
                    f"{language} voice. Copy the guide: block of es/ui.yaml and translate it",
                )
            )
    return warnings


def width_warnings(library: ContentLibrary) -> list[StaffWarning]:
    """A warning for each label too wide for its button on a 60-column screen."""
    warnings: list[StaffWarning] = []
    for language, content in library.languages.items():
        folder = library.folder / language
        documents = _documents(folder)
        warnings += _ui_widths(content, documents.get("ui.yaml"))
        learn = documents.get("learn.yaml")
        for index, section in enumerate(content.learn.sections):
            if learn and cell_len(section.title) > SECTION_TITLE_ROOM:
                warnings.append(
                    _too_wide(
                        learn, ("sections", index, "title"), section.title, SECTION_TITLE_ROOM
                    )
                )
        compare = documents.get("compare.yaml")
        for index, option in enumerate(content.compare.options):
            if compare and cell_len(option.short_name) > SHORT_NAME_ROOM:
                warnings.append(
                    _too_wide(
                        compare,
                        ("options", index, "short_name"),
                        option.short_name,
                        SHORT_NAME_ROOM,
                    )
                )
    return warnings


def _ui_widths(content: Content, ui: SourceDocument | None) -> list[StaffWarning]:
    if ui is None:
        return []
    warnings = []
    for field, room in UI_LABEL_ROOM.items():
        text = getattr(content.ui, field)
        if cell_len(text) > room:
            warnings.append(_too_wide(ui, (field,), text, room))
    ui_text = content.ui
    contrast = max(ui_text.high_contrast_button, ui_text.normal_contrast_button, key=cell_len)
    row = [ui_text.help_button, ui_text.language_button, contrast, ui_text.hide_button]
    needed = sum(max(12, cell_len(label) + 8) + 1 for label in row) + 2
    if needed > WELCOME_ROW_ROOM:
        warnings.append(
            StaffWarning(
                ui.file,
                ui.line_of(("language_button",)),
                "help_button, language_button, high_contrast_button (or normal_contrast_button) "
                f"and hide_button share a row of the welcome screen: they need {needed} columns, "
                f"and an 80-column screen has {WELCOME_ROW_ROOM}, so they go two a row and the "
                "welcome screen scrolls; shorten them",
            )
        )
    together = sum(cell_len(getattr(content.ui, field)) for field in NAV_ROW_FIELDS)
    if together > NAV_ROW_ROOM:
        names = ", ".join(NAV_ROW_FIELDS)
        warnings.append(
            StaffWarning(
                ui.file,
                ui.line_of((NAV_ROW_FIELDS[0],)),
                f"{names} share the top bar: together they are {together} cells wide, and on "
                f"a 60-column screen the bar holds {NAV_ROW_ROOM}; shorten them (a Chinese "
                "character counts 2)",
            )
        )
    return warnings


def _too_wide(document: SourceDocument, location: Location, text: str, room: int) -> StaffWarning:
    name = ".".join(str(part + 1 if isinstance(part, int) else part) for part in location)
    return StaffWarning(
        document.file,
        document.line_of(location),
        f"{name} '{text}' is {cell_len(text)} cells wide, and its button has room for {room} on "
        "a 60-column screen: shorten it (a Chinese character counts 2)",
    )


# --------------------------------------------------------------------------------------------
# Can the launcher draw it?
# --------------------------------------------------------------------------------------------

#: Script -> (a test for its characters, fontconfig's language for it, Debian's font package).
SCRIPTS: Mapping[str, tuple[re.Pattern[str], str, str]] = {
    "Chinese": (re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"), "zh-cn", "fonts-noto-cjk"),
    "Cyrillic": (re.compile(r"[\u0400-\u04ff]"), "ru", "fonts-dejavu-core"),
    "Vietnamese": (
        re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE),
        "vi",
        "fonts-dejavu-core",
    ),
}
#: The console's CODESET (console-setup) that can draw each script.
CONSOLE_CODESETS: Mapping[str, frozenset[str]] = {
    "Cyrillic": frozenset({"Uni2", "Uni3", "CyrSlav", "CyrKoi", "CyrAsia"}),
    "Vietnamese": frozenset({"Vietnamese"}),
}
#: The units of deploy/ and how each draws text.
LAUNCHERS: Mapping[str, str] = {
    "kiosk.service": "console",
    "kiosk-cage.service": "foot",
    "kiosk-browser.service": "chromium",
}


def scripts_used(content: Content) -> list[str]:
    """The scripts (of :data:`SCRIPTS`) that ``content`` is written in."""
    text = "\n".join(_all_text(content))
    return [name for name, (pattern, _, _) in SCRIPTS.items() if pattern.search(text)]


def _all_text(content: Content) -> Iterable[str]:
    import msgspec

    for model in (content.ui, content.help, content.learn, content.compare, content.selfcheck):
        data = msgspec.to_builtins(model, enc_hook=_plain)
        yield from (text for _, text in _texts(data))


def _plain(value: Any) -> Any:
    """The models' read-only mappings, as plain ones (for msgspec.to_builtins)."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def enabled_launchers(systemd: Path = Path("/etc/systemd/system")) -> list[str]:
    """The kiosk's units enabled on this computer (their links in ``*.wants/`` folders)."""
    found = []
    for unit in LAUNCHERS:
        if any(systemd.glob(f"*.wants/{unit}")):
            found.append(unit)
    return found


def console_codeset(file: Path = Path("/etc/default/console-setup")) -> str | None:
    """console-setup's CODESET (the console font's character set), if it can be read."""
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r'^\s*CODESET\s*=\s*"?([^"\s]*)"?', text, re.MULTILINE)
    return match.group(1) if match else None


def has_font_for(fontconfig_language: str) -> bool | None:
    """Whether fontconfig has a font for the language (None: fc-list is not installed)."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, f":lang={fontconfig_language}", "family"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(done.stdout.strip())


def drawing_warnings(
    library: ContentLibrary,
    launchers: Sequence[str],
    *,
    codeset: Callable[[], str | None] = console_codeset,
    font_for: Callable[[str], bool | None] = has_font_for,
) -> list[StaffWarning]:
    """Warnings for languages the enabled launchers cannot draw, where that can be told."""
    warnings: list[StaffWarning] = []
    for language, content in library.languages.items():
        folder = library.folder / language
        for script in scripts_used(content):
            _, fc_language, package = SCRIPTS[script]
            for unit in launchers:
                how = LAUNCHERS.get(unit)
                if how == "console":
                    if script == "Chinese":
                        warnings.append(
                            StaffWarning(
                                folder,
                                1,
                                f"{unit} runs the kiosk on the Linux text console, which cannot "
                                "draw Chinese characters (its fonts hold at most 512): visitors "
                                "would see blocks. Use kiosk-cage.service or "
                                "kiosk-browser.service with fonts-noto-cjk (deploy/README.md)",
                            )
                        )
                        continue
                    current = codeset()
                    if current is not None and current not in CONSOLE_CODESETS[script]:
                        wanted = " or ".join(sorted(CONSOLE_CODESETS[script]))
                        warnings.append(
                            StaffWarning(
                                folder,
                                1,
                                f"{unit} runs on the text console, whose font (CODESET={current} "
                                f"in /etc/default/console-setup) cannot draw {script} letters: "
                                f"set CODESET to {wanted} (one console font cannot hold every "
                                "script: see deploy/README.md)",
                            )
                        )
                elif how in ("foot", "chromium") and font_for(fc_language) is False:
                    warnings.append(
                        StaffWarning(
                            folder,
                            1,
                            f"{unit} draws with the computer's fonts, and none has {script} "
                            f"characters: apt-get install {package}",
                        )
                    )
    return warnings


def missing_languages(
    library: ContentLibrary, listed: Iterable[str], file: Path
) -> list[StaffWarning]:
    """Languages named in kiosk.toml's ``languages`` without a folder."""
    return [
        StaffWarning(
            file,
            1,
            f"[kiosk] languages names '{language}', which is not one of this lobby's languages "
            f"(no folder in {library.folder}, or its site file leaves it out): "
            "it is left out of the Language list",
        )
        for language in listed
        if language not in library.languages
    ]

"""Kiosk behaviour from ``kiosk.toml``: validated into frozen settings.

Staff edit ``kiosk.toml`` by hand, so a mistake there is reported like a content mistake
(``kiosk.toml:LINE: what is wrong``), and unknown keys are errors (a misspelt setting that is
silently ignored is worse than no setting).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from kiosk.content.validation import INTERNAL, FieldError, InvalidDocument, validate
from kiosk.content.yamlsource import (
    Problem,
    SourceDocument,
    SourceError,
    read_text,
    read_toml,
    toml_document,
)
from kiosk.rules.pin import PinError, check_pin_hash
from kiosk.system.speech import VOICES

#: A language, as the name of its content folder: ``en``, ``es``, ``zh-Hans``.
LanguageCode = Annotated[
    str,
    Meta(
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
        max_length=20,
        examples=["vi", "zh-Hans"],
    ),
]

#: espeak-ng's voice for each language of the shipped content (``espeak-ng --voices`` lists
#: them; Debian's espeak-ng-data package has them all). A language without one here is
#: spoken with the voice named like its folder, or its base language (``pt-BR`` -> ``pt``).
DEFAULT_VOICES: Mapping[str, str] = VOICES

#: The themes the kiosk ships; see :mod:`kiosk.themes`.
ThemeName = Literal["kiosk-light", "kiosk-high-contrast"]


class Section(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """Base of every settings table: immutable, unknown keys are mistakes.

    Numbers and switches are strict (as is every type, see
    :func:`kiosk.content.validation.convert`):
    ``"120"`` is not a number and ``"no"`` is not ``false``; staff get a message rather than a
    guess.
    """


class KioskSettings(Section, frozen=True):
    """``[kiosk]``: what to show and when to reset."""

    content_dir: Annotated[
        Path, Meta(description="Folder of the content, relative to kiosk.toml.")
    ] = Path("content")
    default_language: Annotated[
        str,
        Meta(
            description="Language after every reset: the name of its folder in the content "
            "folder, e.g. en."
        ),
    ] = "en"
    site: Annotated[
        str,
        Meta(
            pattern=r"^([a-z0-9][a-z0-9-]{0,39})?$",
            description="This lobby's site file, content/sites/<site>.yaml: its clinic details, "
            "languages and texts over the shared content. Empty: none.",
        ),
    ] = ""
    theme: Annotated[ThemeName, Meta(description="Theme after every reset.")] = "kiosk-light"
    idle_seconds: Annotated[
        int,
        Meta(ge=10, le=3600, description="Seconds without input before the idle warning."),
    ] = 120
    idle_warning_seconds: Annotated[
        int,
        Meta(
            ge=20,
            le=300,
            description="Length of the idle warning's countdown (at least 20 seconds, per WCAG).",
        ),
    ] = 30
    languages: Annotated[
        tuple[LanguageCode, ...],
        Meta(
            description="The order of the Language list, by folder name, e.g. "
            '["en", "es", "vi", "ru", "zh-Hans"]. Languages it does not name come after, in '
            "the content's order (a site file's, else English first, then by name); named ones "
            "the content lacks are left out (kiosk validate warns). Which languages a lobby "
            "shows is the content's (and its site file's) to say."
        ),
    ] = ()

    def language_order(self, available: Iterable[str]) -> list[str]:
        """The languages of ``available`` in the order of the Language list: those named in
        ``languages`` first, in that order, then the rest in the order given."""
        found = list(available)
        listed = [language for language in self.languages if language in found]
        return listed + [language for language in found if language not in listed]


class StaffSettings(Section, frozen=True):
    """``[staff]``: how staff leave the kiosk."""

    pin_hash: Annotated[
        str, Meta(description="Set by 'kiosk set-pin'. Empty: staff exit is disabled.")
    ] = ""

    def __post_init__(self) -> None:
        if self.pin_hash:
            try:
                check_pin_hash(self.pin_hash)
            except PinError as error:
                # Named, so that the message points at the pin_hash line, not at [staff].
                raise FieldError("pin_hash", str(error)) from error


class SpeechSettings(Section, frozen=True):
    """``[speech]``: read-aloud with espeak-ng."""

    enabled: Annotated[bool, Meta(description="Show the Read aloud button.")] = False
    private_audio: Annotated[
        bool,
        Meta(
            description="The kiosk has headphones: self-check questions and results may be spoken."
        ),
    ] = False
    voices: Annotated[
        dict[
            LanguageCode,
            Annotated[str, Meta(pattern=r"^[A-Za-z0-9_+-]{1,40}$", examples=["vi", "en-us"])],
        ],
        Meta(
            description="espeak-ng voice for each language, as a table: "
            '[speech.voices] then lines such as vi = "vi" or "zh-Hans" = "cmn". Languages '
            "not listed keep their default (en-us, es-419, vi, ru, cmn)."
        ),
    ] = msgspec.field(default_factory=dict)

    def voice(self, language: str) -> str:
        """The espeak-ng voice for ``language``: kiosk.toml's, else the default, else the
        language's own name (espeak-ng knows most languages by their code)."""
        if language in self.voices:
            return self.voices[language]
        if language in DEFAULT_VOICES:
            return DEFAULT_VOICES[language]
        return language.split("-")[0].split("_")[0].lower()


class ServeSettings(Section, frozen=True):
    """``[serve]``: the browser kiosk (``kiosk serve``)."""

    max_pages: Annotated[
        int,
        Meta(
            ge=1,
            le=20,
            description="Browser pages that may show the kiosk at once; each runs its own kiosk "
            "(about 100 MB with five languages, 11 MB a language). One more page gets a 'busy' "
            "page instead.",
        ),
    ] = 3


class ScreenSettings(Section, frozen=True):
    """``[screen]``: the lobby's physical screen, for the browser kiosk's "Larger text".

    "Larger text" makes a capital H subtend 0.7° at the viewing distance (EN 301 549 §5.1.4):
    :mod:`kiosk.rules.text_size` turns the screen's diagonal and resolution into the font size
    that does it, unless ``large_font_pixels`` gives one.
    """

    diagonal_inches: Annotated[
        float, Meta(ge=7, le=100, description="The screen's diagonal, in inches.")
    ] = 15.6
    width_pixels: Annotated[
        int,
        Meta(ge=320, le=8000, description="The screen's width in pixels, as the browser has it."),
    ] = 1920
    height_pixels: Annotated[
        int, Meta(ge=320, le=8000, description="The screen's height in pixels.")
    ] = 1080
    viewing_distance_cm: Annotated[
        float, Meta(ge=20, le=300, description="How far visitors stand from the screen, in cm.")
    ] = 50.0
    large_font_pixels: Annotated[
        int,
        Meta(
            ge=0,
            le=200,
            description="The font size of Larger text, in pixels; 0: worked out from the screen.",
        ),
    ] = 0

    def larger_text_font(self) -> int:
        """The browser kiosk's font size, in pixels, for "Larger text"."""
        if self.large_font_pixels:
            return self.large_font_pixels
        from kiosk.rules.text_size import Screen

        screen = Screen(
            self.diagonal_inches, self.width_pixels, self.height_pixels, self.viewing_distance_cm
        )
        return screen.large_font_pixels()


class Settings(Section, frozen=True):
    """All of ``kiosk.toml``."""

    kiosk: KioskSettings = msgspec.field(default_factory=KioskSettings)
    staff: StaffSettings = msgspec.field(default_factory=StaffSettings)
    speech: SpeechSettings = msgspec.field(default_factory=SpeechSettings)
    serve: ServeSettings = msgspec.field(default_factory=ServeSettings)
    screen: ScreenSettings = msgspec.field(default_factory=ScreenSettings)
    #: The folder kiosk.toml lives in; relative paths are resolved against it. Set by
    #: :func:`load_settings`, never written by staff.
    base_dir: Annotated[Path, Meta(extra=INTERNAL)] = Path(".")

    @property
    def content_dir(self) -> Path:
        """The content folder, resolved against the folder of ``kiosk.toml``."""
        return (self.base_dir / self.kiosk.content_dir).resolve()

    @property
    def content_path(self) -> Path:
        """The content folder as ``kiosk.toml`` names it, symbolic links not followed: what the
        change watcher watches, so that a roll-out that points a link at a new checkout is seen
        even though the old checkout stays as it was."""
        return self.base_dir / self.kiosk.content_dir


class ConfigError(Exception):
    """``kiosk.toml`` could not be loaded; ``problems`` lists every mistake."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_settings(file: Path) -> Settings:
    """Read and validate ``kiosk.toml``. Raises :class:`ConfigError`."""
    if not file.exists():
        raise ConfigError([Problem(file, 1, "settings file not found")])
    try:
        document = read_toml(file)
    except SourceError as error:
        raise ConfigError(error.problems) from None
    return _validate(document, file)


def _validate(document: SourceDocument, file: Path) -> Settings:
    if "base_dir" in document.data:
        raise ConfigError([document.problem(("base_dir",), "unknown key 'base_dir': remove it")])
    document = dataclasses.replace(document, data={**document.data, "base_dir": file.parent})
    try:
        return validate(document, Settings)
    except InvalidDocument as error:
        raise ConfigError(error.problems) from None


@dataclasses.dataclass(frozen=True)
class StartSettings:
    """The settings a kiosk starts on, and why, when ``kiosk.toml`` is broken."""

    settings: Settings
    #: Every mistake in ``kiosk.toml`` (empty when it was good).
    problems: list[Problem]
    #: "kiosk.toml", "the last good kiosk.toml" or "safe defaults".
    source: str


def settings_for_start(file: Path, state: Path | None) -> StartSettings:
    """``kiosk.toml`` if it is good; else the last good copy remembered in ``state``
    (:mod:`kiosk.system.state`); else safe defaults (staff exit off, no speech). A kiosk always
    starts: a lobby screen that is dead until someone comes is worse than one on defaults."""
    from kiosk.system.state import good_settings_text, save_good_settings

    try:
        settings = load_settings(file)
    except ConfigError as error:
        problems = error.problems
    else:
        # Unreadable by now (changed since it was read): the next start remembers it.
        with contextlib.suppress(SourceError):
            save_good_settings(state, read_text(file, "settings"))
        return StartSettings(settings, [], str(file.name))
    remembered = good_settings_text(state)
    if remembered is not None:
        try:
            document = toml_document(file, remembered)
            return StartSettings(_validate(document, file), problems, f"the last good {file.name}")
        except (SourceError, ConfigError):
            pass  # written by another version of the kiosk: defaults then
    return StartSettings(Settings(base_dir=file.parent), problems, "safe defaults")

"""Kiosk behaviour from ``kiosk.toml``: validated into frozen settings.

Staff edit ``kiosk.toml`` by hand, so a mistake there is reported like a content mistake
(``kiosk.toml:LINE: what is wrong``), and unknown keys are errors (a misspelt setting that is
silently ignored is worse than no setting).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kiosk.content import describe_validation_error
from kiosk.security import check_pin_hash
from kiosk.yamlsource import Problem, SourceError, read_toml

#: The themes the kiosk ships; see :mod:`kiosk.themes`.
ThemeName = Literal["kiosk-light", "kiosk-high-contrast"]


class Section(BaseModel):
    """Base of every settings table: immutable, unknown keys are mistakes.

    Numbers and switches are ``strict``: ``"120"`` is not a number and ``"no"`` is not
    ``false``; staff get a message rather than a guess.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")


class KioskSettings(Section):
    """``[kiosk]``: what to show and when to reset."""

    content_dir: Path = Field(
        default=Path("content"), description="Folder of the content, relative to kiosk.toml."
    )
    default_language: str = Field(default="en", description="Language after every reset.")
    theme: ThemeName = Field(default="kiosk-light", description="Theme after every reset.")
    idle_seconds: int = Field(
        strict=True,
        default=120,
        ge=10,
        le=3600,
        description="Seconds without input before the idle warning.",
    )
    idle_warning_seconds: int = Field(
        strict=True,
        default=30,
        ge=20,
        le=300,
        description="Length of the idle warning's countdown (at least 20 seconds, per WCAG).",
    )


class StaffSettings(Section):
    """``[staff]``: how staff leave the kiosk."""

    pin_hash: str = Field(
        default="", description="Set by 'kiosk set-pin'. Empty: staff exit is disabled."
    )

    @field_validator("pin_hash")
    @classmethod
    def _is_a_pin_hash(cls, value: str) -> str:
        if value:
            check_pin_hash(value)  # PinError is a ValueError: pydantic reports it with its line
        return value


class SpeechSettings(Section):
    """``[speech]``: read-aloud with espeak-ng."""

    enabled: bool = Field(strict=True, default=False, description="Show the Read aloud button.")
    private_audio: bool = Field(
        strict=True,
        default=False,
        description="The kiosk has headphones: self-check questions and results may be spoken.",
    )


class Settings(Section):
    """All of ``kiosk.toml``."""

    kiosk: KioskSettings = Field(default_factory=KioskSettings)
    staff: StaffSettings = Field(default_factory=StaffSettings)
    speech: SpeechSettings = Field(default_factory=SpeechSettings)
    #: The folder kiosk.toml lives in; relative paths are resolved against it.
    base_dir: Path = Field(default=Path("."), exclude=True)

    @property
    def content_dir(self) -> Path:
        """The content folder, resolved against the folder of ``kiosk.toml``."""
        return (self.base_dir / self.kiosk.content_dir).resolve()


class ConfigError(Exception):
    """``kiosk.toml`` could not be loaded; ``problems`` lists every mistake."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def load_settings(file: Path) -> Settings:
    """Read and validate ``kiosk.toml``. Raises :class:`ConfigError`."""
    if not file.is_file():
        raise ConfigError([Problem(file, 1, "settings file not found")])
    try:
        document = read_toml(file)
    except SourceError as error:
        raise ConfigError(error.problems) from None
    if "base_dir" in document.data:
        raise ConfigError([document.problem(("base_dir",), "unknown key 'base_dir': remove it")])
    try:
        return Settings.model_validate({**document.data, "base_dir": file.parent})
    except ValidationError as error:
        raise ConfigError(describe_validation_error(document, error, Settings)) from None

"""Load ``kiosk.toml`` and the content together, collecting every problem of both.

Used by ``kiosk validate`` and ``kiosk preview``, which must report a settings mistake and a
content mistake in the same run rather than stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import ConfigError, Settings, load_settings
from kiosk.content import ContentError, ContentLibrary, load_library
from kiosk.content_cache import load_and_cache
from kiosk.yamlsource import Problem


@dataclass(frozen=True)
class Loaded:
    """What loading found: the settings and content (None where broken) and every problem."""

    settings: Settings | None
    library: ContentLibrary | None
    problems: list[Problem] = field(default_factory=list)


def load_checked(
    config: Path, content_dir: Path | None = None, *, save_cache: bool = False
) -> Loaded:
    """Load both; ``content_dir`` overrides the folder named in ``kiosk.toml``. With
    ``save_cache``, content that passes is saved for the kiosk's next start
    (:mod:`kiosk.content_cache`)."""
    problems: list[Problem] = []
    settings: Settings | None = None
    try:
        settings = load_settings(config)
    except ConfigError as error:
        problems.extend(error.problems)
    folder = content_dir or (settings.content_dir if settings else Path("content"))
    library: ContentLibrary | None = None
    try:
        library = load_and_cache(folder) if save_cache else load_library(folder)
    except ContentError as error:
        problems.extend(error.problems)
    return Loaded(settings, library, problems)

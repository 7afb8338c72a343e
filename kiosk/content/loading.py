"""The one way the kiosk loads what staff wrote: ``kiosk.toml`` and the content, together.

Every command goes through :func:`load_site`, with the options that suit it:

==================  =========  ===========  ============  =========================================
caller              use cache  save cache   fall back     why
==================  =========  ===========  ============  =========================================
``kiosk run``       yes        yes          yes           start fast, and never a dead screen
``kiosk serve``     —          —            settings      each page's kiosk loads for itself
``kiosk validate``  no         yes          no            check every file; save for the next start
``kiosk preview``   no         no           no            show exactly what staff wrote
live reload         no         no           no            a broken change keeps the last good on
==================  =========  ===========  ============  =========================================

The steps, each in the module that knows it: the settings (:mod:`kiosk.config`, falling back to the
last good copy or safe defaults, :func:`~kiosk.config.settings_for_start`), the content
(:mod:`kiosk.content.model`, or the cache of it, :mod:`kiosk.content.cache`, falling back to the
copy shipped with the kiosk, :data:`BUNDLED_CONTENT`). Every problem of both comes back, in staff's
words, with its ``file:line``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from kiosk.config import ConfigError, Settings, load_settings, settings_for_start
from kiosk.content.cache import load_and_cache
from kiosk.content.model import ContentError, ContentLibrary, load_library
from kiosk.content.yamlsource import Problem

#: A pristine copy of the content, shipped inside the package: the fallback when the content
#: staff edited is broken when the kiosk starts (a real copy: `make bundle` refreshes it).
BUNDLED_CONTENT = Path(__file__).resolve().parents[1] / "bundled_content"


@dataclass(frozen=True)
class Site:
    """What loading found: the settings and content (None where broken and not replaced), every
    problem, and where the settings and content came from (for staff)."""

    settings: Settings | None
    library: ContentLibrary | None
    problems: list[Problem] = field(default_factory=list)
    #: ``kiosk.toml``, ``the last good kiosk.toml`` or ``safe defaults``.
    settings_source: str = "kiosk.toml"
    #: ``content`` or ``the bundled content``.
    content_source: str = "content"
    #: The problems of the settings and of the content, apart (for the log).
    settings_problems: list[Problem] = field(default_factory=list)
    content_problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Everything loaded, without a problem."""
        return not self.problems and self.settings is not None and self.library is not None


def load_site(
    config: Path,
    content_dir: Path | None = None,
    *,
    use_cache: bool = False,
    save_cache: bool = False,
    fall_back: bool = False,
    state: Path | None = None,
    site: str | None = None,
) -> Site:
    """Load ``config`` and the content it names (or ``content_dir``).

    ``use_cache``: take the checked content saved at the last load while its files are
    unchanged. ``save_cache``: save content that passed for the next start. ``fall_back``:
    broken settings give the last good ones (remembered in ``state``) or safe defaults, and
    broken content the bundled copy, so that a kiosk always starts. ``site``: this site's
    layer instead of the one ``kiosk.toml`` names ("" for none).
    """
    settings_problems: list[Problem] = []
    settings: Settings | None
    settings_source = config.name
    if fall_back:
        start = settings_for_start(config, state)
        settings, settings_problems, settings_source = start.settings, start.problems, start.source
    else:
        try:
            settings = load_settings(config)
        except ConfigError as error:
            settings, settings_problems = None, error.problems
    folder = content_dir or (settings.content_dir if settings else config.parent / "content")
    content_problems: list[Problem] = []
    library: ContentLibrary | None = None
    content_source = "content"
    if site is None:
        site = settings.kiosk.site if settings else ""
    try:
        if use_cache or save_cache:
            library = load_and_cache(folder, use_cache=use_cache, save=save_cache, site=site)
        else:
            library = load_library(folder, site)
    except ContentError as error:
        content_problems = error.problems
        if fall_back:
            library = load_library(BUNDLED_CONTENT)  # tested to load: see test_as_installed
            content_source = "the bundled content"
    if settings is not None and library is not None and library.default_language:
        # The lobby's site file chooses the language a reset returns to.
        kiosk = msgspec.structs.replace(settings.kiosk, default_language=library.default_language)
        settings = msgspec.structs.replace(settings, kiosk=kiosk)
    return Site(
        settings=settings,
        library=library,
        problems=[*settings_problems, *content_problems],
        settings_source=settings_source,
        content_source=content_source,
        settings_problems=settings_problems,
        content_problems=content_problems,
    )

"""Live content: noticing that staff saved a change, and loading it without holding anyone up.

Every :data:`RELOAD_POLL_SECONDS` the app asks :meth:`LiveContent.changed` (a cheap fingerprint of
the content folder and ``kiosk.toml``, :mod:`kiosk.content.watcher`). On a change it runs
:meth:`LiveContent.load` in a thread: every check, as ``kiosk validate`` makes them. Good content
waits in :attr:`LiveContent.pending` until the next reset, so that no visitor sees the text change
under them; broken content leaves the last good on screen, and its problems are kept for the staff
screen and the journal.

No Textual here: the app owns the thread (a worker) and the screens.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Settings
from kiosk.content.loading import load_site
from kiosk.content.model import ContentError, ContentLibrary, load_library
from kiosk.content.watcher import ChangeWatcher
from kiosk.content.yamlsource import Problem, SourceError, read_text
from kiosk.system.staff_log import describe_error
from kiosk.system.state import save_good_settings, state_folder

#: How often the content folder and kiosk.toml are checked for changes.
RELOAD_POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Loaded:
    """Content and settings that passed every check, ready for the next reset."""

    settings: Settings
    library: ContentLibrary


@dataclass(frozen=True)
class Refused:
    """A change that did not pass: what is wrong, for staff."""

    problems: list[Problem] = field(default_factory=list)


class LiveContent:
    """The watched files, the change waiting for a reset, and the last change's problems."""

    def __init__(
        self,
        settings: Settings,
        config_file: Path | None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.settings = settings
        #: kiosk.toml, watched with the content folder (None: only the content folder).
        self.config_file = config_file
        #: Mistakes in what staff saved last; for the staff screen, never for visitors.
        self.problems: list[Problem] = list(problems or [])
        #: A good change, shown at the next reset.
        self.pending: Loaded | None = None
        self._watcher = self._watch(settings)

    def _watch(self, settings: Settings) -> ChangeWatcher:
        paths = [settings.content_path]  # the link as named: a roll-out switches it
        if self.config_file is not None:
            paths.append(self.config_file)
        return ChangeWatcher(tuple(paths))

    def changed(self) -> bool:
        """Whether staff saved something since the last call."""
        return self._watcher.changed()

    def load(self) -> Loaded | Refused:
        """Load and check the saved files (in a thread: it reads and validates YAML)."""
        try:
            if self.config_file is not None:
                site = load_site(self.config_file)  # every check, no cache, no fallback
                if not site.ok:
                    return Refused(site.problems)
                assert site.settings is not None and site.library is not None
                settings, library = site.settings, site.library
            else:
                settings, library = self.settings, load_library(self.settings.content_dir)
        except ContentError as error:
            return Refused(error.problems)
        except Exception as error:
            # A mistake the checks did not foresee must not reset the visitor: it is reported
            # like the others, at the settings file (the content folder is named in it).
            where = self.config_file or self.settings.content_dir
            return Refused([Problem(where, 1, f"could not be loaded ({describe_error(error)})")])
        if self.config_file is not None:
            with contextlib.suppress(SourceError):
                save_good_settings(state_folder(), read_text(self.config_file, "settings"))
        return Loaded(settings, library)

    def loaded(self, result: Loaded | Refused) -> None:
        """Keep what :meth:`load` found: a change waiting for the reset, or its problems."""
        if isinstance(result, Loaded):
            self.problems = []
            self.pending = result
        else:
            self.problems = list(result.problems)

    def take_pending(self) -> Loaded | None:
        """At a reset: the waiting change, if any (the watcher then follows its folder)."""
        pending, self.pending = self.pending, None
        if pending is not None:
            self.settings = pending.settings
            self._watcher = self._watch(pending.settings)
        return pending

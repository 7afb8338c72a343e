"""The ``kiosk`` command: ``run`` (the default) and ``validate``.

Staff run ``kiosk validate`` after every edit. It prints every mistake as ``file:line: message``
and exits 1, or prints one line saying what it loaded and exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.config import ConfigError, Settings, load_settings
from kiosk.content import ContentError, ContentLibrary, load_library
from kiosk.yamlsource import Problem

DEFAULT_CONFIG = Path("kiosk.toml")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script and of ``python -m kiosk``."""
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "validate":
        return validate(args.config, args.content_dir)
    return run(args.config)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk", description="The waiting-room kiosk about intensive outpatient treatment."
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=DEFAULT_CONFIG,
        help="settings file (default: kiosk.toml in the current folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="start the kiosk (the default)")
    validate_parser = commands.add_parser(
        "validate", help="check the content and kiosk.toml; print every mistake with its line"
    )
    validate_parser.add_argument(
        "content_dir",
        nargs="?",
        type=Path,
        help="content folder to check (default: the one named in kiosk.toml)",
    )
    return parser


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def load(config: Path, content_dir: Path | None = None) -> tuple[Settings, ContentLibrary]:
    """Load settings and content. Raises :class:`ConfigError` or :class:`ContentError`."""
    settings = load_settings(config)
    library = load_library(content_dir if content_dir is not None else settings.content_dir)
    return settings, library


def validate(config: Path, content_dir: Path | None) -> int:
    """``kiosk validate``: 0 when everything loads, 1 with every mistake printed otherwise."""
    problems: list[Problem] = []
    settings: Settings | None = None
    try:
        settings = load_settings(config)
    except ConfigError as error:
        problems.extend(error.problems)
    folder = content_dir or (settings.content_dir if settings else Path("content"))
    library: ContentLibrary | None = None
    try:
        library = load_library(folder)
    except ContentError as error:
        problems.extend(error.problems)
    if problems or library is None:
        _print_problems(problems)
        print(f"{len(problems)} problem(s) found; the kiosk keeps its last good content.")
        return 1
    print(_summary(library))
    return 0


def _summary(library: ContentLibrary) -> str:
    parts = []
    for language, content in library.languages.items():
        parts.append(
            f"{language}: {len(content.learn.sections)} sections, "
            f"{len(content.compare.options)} options x {len(content.compare.rows)} rows, "
            f"{len(content.selfcheck.questions)} questions, "
            f"{len(content.selfcheck.results)} results"
        )
    return f"OK {library.folder}: " + "; ".join(parts)


def run(config: Path) -> int:
    """``kiosk run``: start the kiosk full screen."""
    try:
        settings, library = load(config)
    except (ConfigError, ContentError) as error:
        _print_problems(error.problems)
        return 1
    from kiosk.app import KioskApp  # Textual is imported only when the kiosk really starts.

    KioskApp(settings, library).run()
    return 0

"""The ``kiosk`` command (and ``python -m kiosk``).

``kiosk run``      start the kiosk full screen (the default command)
``kiosk validate`` check the content and ``kiosk.toml``: every mistake as ``file:line: message``
                   and exit 1, or a summary and the reading levels and exit 0. Staff run it after
                   every edit.
``kiosk preview``  draw every screen, in every language and theme, as pictures and a gallery
``kiosk serve``    serve the kiosk to a browser on this computer (the touchscreen launcher)
``kiosk set-pin``  set the staff PIN (only a salted hash is stored)
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk import set_frame_rate
from kiosk.config import Settings, settings_for_start
from kiosk.content.loading import load_site
from kiosk.content.model import ContentError, ContentLibrary, load_library
from kiosk.content.site_layer import site_names
from kiosk.content.yamlsource import Problem
from kiosk.parts.collector import no_collection_while_starting
from kiosk.rules.pin import PinError, hash_pin, readable_by_others, write_pin_hash
from kiosk.system.speech import find_espeak
from kiosk.system.staff_log import holding_the_screen, log_line, log_problems
from kiosk.system.state import PinLockoutMemory, state_folder

DEFAULT_CONFIG = Path("kiosk.toml")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kiosk`` console script and of ``python -m kiosk``."""
    try:
        return _main(argv)
    except BrokenPipeError:
        # `kiosk validate | head` closed the pipe early: nothing more to say, and no traceback.
        sys.stderr.close()
        return 1


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command or "run"
    if command == "validate":
        return validate(args.config, args.content_dir, args.site)
    if command == "set-pin":
        return set_pin(args.config)
    if command == "preview":
        return preview(
            args.config,
            args.content_dir,
            args.out,
            sizes=args.size,
            languages=args.language,
            themes=args.theme,
            site=args.site,
        )
    if command == "serve":
        return serve(args.config, port=args.port)
    if command == "health":
        from kiosk.system.health import health

        return health(args.config, args.textfile, args.unit)
    return run(args.config, dev=getattr(args, "dev", False), web=getattr(args, "web", False))


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
    run_parser = commands.add_parser("run", help="start the kiosk (the default)")
    run_parser.add_argument(
        "--dev",
        action="store_true",
        help="for maintainers: ctrl+q quits, Textual's debug variables and crash reports work",
    )
    # Hidden: only `kiosk serve` starts a kiosk this way (one per browser page); see run().
    run_parser.add_argument("--web", action="store_true", help=argparse.SUPPRESS)
    commands.add_parser("set-pin", help="set the staff PIN (stored as a salted, slow hash)")
    serve_parser = commands.add_parser(
        "serve",
        help="serve the kiosk to a web browser on this computer only (http://127.0.0.1:PORT)",
    )
    serve_parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default: 8000)"
    )
    validate_parser = commands.add_parser(
        "validate", help="check the content and kiosk.toml; print every mistake with its line"
    )
    validate_parser.add_argument(
        "content_dir",
        nargs="?",
        type=Path,
        help="content folder to check (default: the one named in kiosk.toml)",
    )
    validate_parser.add_argument(
        "--site",
        metavar="NAME",
        help="check as this lobby (content/sites/NAME.yaml) instead of kiosk.toml's site; "
        "every site file is checked in any case",
    )
    health_parser = commands.add_parser(
        "health",
        help="for operators: content version, validate result, restarts and uptime "
        "(Prometheus text format; nothing about visitors)",
    )
    health_parser.add_argument(
        "--textfile",
        type=Path,
        help="write to this file (whole, by rename) instead of printing, e.g. "
        "/var/lib/prometheus/node-exporter/kiosk.prom",
    )
    health_parser.add_argument(
        "--unit", default="kiosk.service", help="the kiosk's systemd unit (default: kiosk.service)"
    )
    preview_parser = commands.add_parser(
        "preview",
        help="check the content, then save every screen as a picture (SVG) and an index.html",
    )
    preview_parser.add_argument(
        "content_dir",
        nargs="?",
        type=Path,
        help="content folder to show (default: the one named in kiosk.toml)",
    )
    preview_parser.add_argument(
        "--out",
        type=Path,
        default=Path("preview"),
        help="folder for the pictures and index.html (default: preview); created if missing",
    )
    preview_parser.add_argument(
        "--size",
        type=_size_list,
        action="append",
        metavar="COLSxROWS",
        help="terminal size, e.g. 80x24 (the default); repeat or separate with commas",
    )
    preview_parser.add_argument(
        "--language",
        action="append",
        metavar="CODE",
        help="only this language, e.g. es (repeatable; default: every language)",
    )
    preview_parser.add_argument(
        "--theme",
        action="append",
        metavar="NAME",
        help="only this theme, e.g. kiosk-high-contrast (repeatable; default: every theme)",
    )
    preview_parser.add_argument(
        "--site",
        metavar="NAME",
        help="show this lobby's screens (content/sites/NAME.yaml; default: kiosk.toml's site)",
    )
    return parser


def _size_list(text: str) -> object:
    """``--size`` of ``kiosk preview``, parsed by kiosk.tools.preview (imported only when used: it
    is a large module that `kiosk run` does not need)."""
    from kiosk.tools.preview import size_argument

    return size_argument(text)


#: ``kiosk validate`` prints at most this many problems; the count says how many more.
MAX_PROBLEMS_PRINTED = 100


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems[:MAX_PROBLEMS_PRINTED]:
        print(problem, file=sys.stderr)
    if len(problems) > MAX_PROBLEMS_PRINTED:
        more = len(problems) - MAX_PROBLEMS_PRINTED
        print(f"… and {more} more problem(s): fix the ones above first", file=sys.stderr)


def validate(config: Path, content_dir: Path | None, site_name: str | None = None) -> int:
    """``kiosk validate``: 0 when everything loads, 1 with every mistake printed otherwise.

    The content is checked as this lobby shows it (kiosk.toml's site, or ``site_name``), and
    then with every other site file of the content folder: the content is shared, so a commit
    that breaks one lobby is refused everywhere.
    """
    # Content that passes is saved for the kiosk's next start (kiosk.content.cache).
    site = load_site(config, content_dir, save_cache=True, site=site_name)
    settings, library, problems = site.settings, site.library, site.problems
    if library is not None and not problems:
        problems = _other_sites(library)
    if problems or library is None:
        _print_problems(problems)
        print(f"{len(problems)} problem(s) found; the kiosk keeps its last good content.")
        return 1
    print(_summary(library))
    _print_site(library)
    _print_reading_levels(library)
    _print_language_warnings(library, settings, config)
    if settings is not None and settings.staff.pin_hash and readable_by_others(config):
        print(
            f"WARNING: {config} holds the staff PIN's hash and every user of this computer can "
            f"read it. Run: chgrp kiosk {config} && chmod 640 {config}"
        )
    if settings is not None and settings.speech.enabled and find_espeak() is None:
        print(
            "WARNING: speech.enabled is true but espeak-ng is not installed, so the Read aloud "
            "button is hidden. Install it with: apt-get install espeak-ng"
        )
    return 0


def _other_sites(library: ContentLibrary) -> list[Problem]:
    """Every problem of the content with each site file other than ``library``'s."""
    problems: list[Problem] = []
    for other in site_names(library.folder):
        if other != library.site:
            try:
                load_library(library.folder, other)
            except ContentError as error:
                problems.extend(error.problems)
    return problems


def _print_site(library: ContentLibrary) -> None:
    """Which lobby this is, and each shared text its site file replaces."""
    others = [name for name in site_names(library.folder) if name != library.site]
    if library.site:
        print(
            f"Site '{library.site}': languages {', '.join(library.languages)}; "
            f"{len(library.replaced)} shared text(s) replaced:"
        )
        for replaced in library.replaced:
            print(f"  {replaced}")
    if others:
        print(f"Also checked with the site files of: {', '.join(others)} (all OK).")


def _print_reading_levels(library: ContentLibrary) -> None:
    """The reading level of every Learn section; warnings do not fail validation. A language
    without a reading-level formula gets one line saying so."""
    from kiosk.content.readability import section_readings  # textstat loads a word list: only here

    print("Reading level of each Learn section:")
    for language, content in library.languages.items():
        readings = section_readings(content)
        measured = [reading for reading in readings if reading.score is not None]
        for reading in measured:
            print(f"  {reading}")
        if readings and not measured:
            print(f"  {language}: not measured ({readings[0].measure})")
        elif len(measured) < len(readings):
            for reading in readings:
                if reading.score is None:
                    print(f"  {reading}")


def _print_language_warnings(
    library: ContentLibrary, settings: Settings | None, config: Path
) -> None:
    """What a translation may still lack (kiosk.content.languages); warnings do not fail."""
    from kiosk.content import languages

    warnings = (
        languages.same_as_english(library)
        + languages.width_warnings(library)
        + languages.guide_warnings(library)
    )
    if settings is not None:
        warnings += languages.missing_languages(library, settings.kiosk.languages, config)
        if settings.kiosk.default_language not in library.languages:
            print(
                f"WARNING: [kiosk] default_language '{settings.kiosk.default_language}' has no "
                f"folder in {library.folder}: the kiosk starts in {next(iter(library.languages))}"
            )
    warnings += languages.drawing_warnings(library, languages.enabled_launchers())
    for warning in warnings:
        print(warning)


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


def clear_textual_debug_variables(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Remove ``TEXTUAL`` and ``TEXTUAL_*`` variables (devtools, log files, screenshots, key
    injection, drivers) so nobody can switch them on for a kiosk. Returns the names removed."""
    names = [name for name in environ if name == "TEXTUAL" or name.startswith("TEXTUAL_")]
    for name in names:
        del environ[name]
    return names


def run(config: Path, *, dev: bool = False, web: bool = False) -> int:
    """``kiosk run``: start the kiosk full screen.

    ``web`` (``run --web``, only ever started by ``kiosk serve``): the screen is a browser page. The
    kiosk then keeps the three ``TEXTUAL_*`` variables textual-serve uses to select its web driver
    (see :mod:`kiosk.system.webenv`), still drops every debug variable, and ends if the server dies.
    """
    with no_collection_while_starting():
        return _run(config, dev=dev, web=web)


def _run(config: Path, *, dev: bool, web: bool) -> int:
    if not dev:
        kept: dict[str, str] = {}
        if web:
            from kiosk.system.webenv import web_driver_variables

            kept = web_driver_variables(os.environ)
        # Before Textual is imported: it reads these variables at import time.
        for name in clear_textual_debug_variables(os.environ):
            if name not in kept:
                log_line(f"ignored {name}: Textual debug settings are off in kiosk mode")
        os.environ.update(kept)
    if "TEXTUAL_FPS" not in os.environ:
        # Also before Textual is imported. A rate already set is kept: textual-serve's for a
        # served kiosk (each frame is a message to the browser), or a developer's with --dev;
        # in kiosk mode, any other was cleared just above.
        set_frame_rate()
    if web:
        from kiosk.system.webenv import exit_with_parent

        exit_with_parent()
    state = state_folder()
    try:
        # Unchanged content since it was last checked: no YAML to read (kiosk.content.cache).
        site = load_site(config, use_cache=True, save_cache=True, fall_back=True, state=state)
    except ContentError as bundled_error:
        log_problems("the content shipped with the kiosk is broken too:", bundled_error.problems)
        return 1
    # A lobby screen must never be dead: it runs anyway, and staff are told (journal, staff
    # screen) what is wrong and what it runs on instead.
    if site.settings_problems:
        log_problems(
            f"{config.name} has {len(site.settings_problems)} problem(s); running on "
            f"{site.settings_source}:",
            site.settings_problems,
        )
    if site.content_problems:
        log_problems(
            f"content has {len(site.content_problems)} problem(s); using "
            f"{site.content_source} instead:",
            site.content_problems,
        )
    assert site.settings is not None and site.library is not None  # fall_back gives both
    settings, library, problems = site.settings, site.library, site.problems
    from kiosk.app import KioskApp  # Textual is imported only when the kiosk really starts.

    app = KioskApp(
        settings,
        library,
        kiosk_mode=not dev,
        config_file=config.resolve(),
        content_problems=problems,
        tune_collector=True,
        build_ahead=True,
        pin_memory=PinLockoutMemory(state),
    )
    # Textual draws on this terminal now: staff lines that would land on it wait
    # (kiosk.system.staff_log).
    with holding_the_screen():
        app.run()
    return app.return_code or 0


def preview(
    config: Path,
    content_dir: Path | None,
    out: Path,
    *,
    sizes: Sequence[Sequence[tuple[int, int]]] | None = None,
    languages: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    site: str | None = None,
) -> int:
    """``kiosk preview``: check the content, then save every screen as an SVG under ``out``.

    ``sizes`` is a list of lists (``--size`` is repeatable and takes comma-separated sizes).
    Exits 1 without writing anything when the content or kiosk.toml has a mistake.
    """
    if "textual" not in sys.modules:
        # As for `run`: Textual reads TEXTUAL_LOG, TEXTUAL_SCREENSHOT … when it is imported;
        # cleared, they cannot make the preview write anywhere but --out.
        clear_textual_debug_variables(os.environ)
    from kiosk.tools.preview import DEFAULT_SIZES, run_preview

    wanted = [size for group in sizes or () for size in group]
    return run_preview(
        config,
        content_dir,
        out,
        sizes=list(dict.fromkeys(wanted)) or list(DEFAULT_SIZES),
        languages=languages,
        themes=themes,
        site=site,
    )


def set_pin(config: Path, *, ask: Callable[[str], str] = getpass.getpass) -> int:
    """``kiosk set-pin``: ask twice (not echoed), store only the salted scrypt hash."""
    if not config.is_file():
        print(f"{config}: settings file not found", file=sys.stderr)
        return 1
    first = ask("New staff PIN (6 to 12 digits): ")
    second = ask("The same PIN again: ")
    if first != second:
        print("The two PINs are not the same; nothing was changed.", file=sys.stderr)
        return 1
    try:
        pin_hash = hash_pin(first)
    except PinError as error:
        print(f"Not changed: {error}.", file=sys.stderr)
        return 1
    write_pin_hash(config, pin_hash)
    mode = config.stat().st_mode & 0o777
    who = "its owner and the kiosk group" if mode & 0o040 else "its owner"
    print(f"Staff PIN set in {config} (readable by {who} only).")
    print("It takes effect when the kiosk restarts or reloads.")
    return 0


def _port(text: str) -> int:
    """``--port``: a port a non-root service may listen on."""
    if not (text.isascii() and text.isdigit() and 1024 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port from 1024 to 65535")
    return int(text)


def serve(config: Path, *, port: int = 8000) -> int:
    """``kiosk serve``: the kiosk in a web browser, on this computer only (127.0.0.1).

    Every browser page gets its own kiosk process (``kiosk run --web``) that ends when the page
    closes, so no answer outlives the page. See :mod:`kiosk.system.serve`.
    """
    # A broken kiosk.toml: said once now, not once per page, and served anyway (each page's
    # kiosk starts on the last good settings, as `kiosk run` does).
    start = settings_for_start(config, state_folder())
    if start.problems:
        log_problems(
            f"{config.name} has {len(start.problems)} problem(s); running on {start.source}:",
            start.problems,
        )
    from kiosk.system.serve import serve_kiosk  # aiohttp is imported only for this command

    return serve_kiosk(
        config.resolve(),
        port=port,
        max_pages=start.settings.serve.max_pages,
        larger_text_font=start.settings.screen.larger_text_font(),
    )

"""``kiosk preview``: every screen as a picture, so staff see their change before it goes live.

The content is validated first, exactly as ``kiosk validate`` does; broken content prints every
``file:line: message`` and nothing is written. Good content is then drawn by the real
:class:`~kiosk.app.KioskApp`, headless (``App.run_test``: no terminal is touched), in every
language x theme x size, and each screen is saved as an SVG under ``--out`` together with an
``index.html`` gallery that names every picture.

Speed: one app per (language, theme, size) walks through all its screens, rather than one app
per picture, and a picture is taken as soon as two renders in a row are identical, rather than
after Textual's "wait until the CPU is idle" pause (which sleeps ~70 ms per picture). On the
bundled content all 132 pictures at 80x24 take 10 to 12 s; the time is Textual's own layout
and rendering, so more speed would need several processes.

Nothing is written outside ``--out``: Textual's debug variables that write logs or screenshots
are cleared by the CLI before Textual is imported (this module imports Textual only inside the
functions that draw), and the preview refuses an ``--out`` inside the content folder (the kiosk
watches that folder and would take the pictures for a content change).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import itertools
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar
from urllib.parse import quote

import msgspec
from rich.cells import cell_len

from kiosk.config import Settings
from kiosk.content.loading import load_site
from kiosk.content.model import ANSWERS, Answer, ContentError, ContentLibrary, SelfCheckText
from kiosk.rules.selfcheck import evaluate

if TYPE_CHECKING:
    from textual.pilot import Pilot
    from textual.screen import Screen

    from kiosk.app import KioskApp

#: A screen class, for :meth:`_Camera.go`.
S = TypeVar("S", bound="Screen[Any]")
#: (columns, rows) of the headless terminal.
Size = tuple[int, int]

DEFAULT_SIZES: tuple[Size, ...] = ((80, 24),)
#: Smaller than this and the kiosk's own layout does not fit (it targets 60 columns at least).
MIN_SIZE: Size = (40, 12)
#: Larger than this is a typing mistake (800x240 is an 8K screen in a tiny font).
MAX_SIZE: Size = (800, 240)
#: The answer search stops after this many combinations (3**12: twelve questions). With more
#: questions the search is still tried in order of "fewest answers other than No" first, which
#: finds every ordinary result long before the limit; a result not found is reported.
MAX_COMBINATIONS = 3**12
#: The answer every question gets unless the search changes it: "No" is the calm default.
BASE_ANSWER: Answer = "no"
#: How many renders to try before accepting a picture that keeps changing (a ticking clock).
MAX_RENDERS = 40
#: How long to wait for a screen to open before giving up (it takes ~20 ms).
WAIT_SECONDS = 15.0


# --------------------------------------------------------------------------------------------
# What was made
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Picture:
    """One SVG written under ``--out``."""

    #: Path relative to ``--out``, e.g. ``en/kiosk-light/80x24/learn-03-dual_diagnosis.svg``.
    path: Path
    title: str
    language: str
    theme: str
    size: Size
    #: An extra line for staff, e.g. which answers lead to a result.
    note: str = ""


@dataclass
class Preview:
    """Everything a preview run made and noticed."""

    out: Path
    content_dir: Path
    config: Path
    started: datetime
    pictures: list[Picture] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


class PreviewError(Exception):
    """The preview cannot run (bad ``--out``, unknown language, …); the message says why."""


# --------------------------------------------------------------------------------------------
# Arguments
# --------------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[Size]:
    """``"80x24"`` or ``"80x24,160x48"`` -> ``[(80, 24), (160, 48)]``. Raises ``ValueError``."""
    sizes: list[Size] = []
    for part in text.split(","):
        part = part.strip().lower()
        if not part:
            continue
        columns, separator, rows = part.partition("x")
        if not separator or not columns.isdigit() or not rows.isdigit():
            raise ValueError(f"'{part}' is not a size: write columns x rows, e.g. 80x24")
        size = (int(columns), int(rows))
        if not (MIN_SIZE[0] <= size[0] <= MAX_SIZE[0] and MIN_SIZE[1] <= size[1] <= MAX_SIZE[1]):
            raise ValueError(
                f"'{part}' is out of range: from {MIN_SIZE[0]}x{MIN_SIZE[1]} "
                f"to {MAX_SIZE[0]}x{MAX_SIZE[1]}"
            )
        if size not in sizes:
            sizes.append(size)
    if not sizes:
        raise ValueError("no size given: write columns x rows, e.g. 80x24")
    return sizes


def size_name(size: Size) -> str:
    """``(80, 24)`` -> ``"80x24"``."""
    return f"{size[0]}x{size[1]}"


def theme_names() -> list[str]:
    """The kiosk's themes, normal first."""
    # Imported here: kiosk.themes imports Textual, and this module must not (see module doc).
    from kiosk.themes import THEMES

    return [theme.name for theme in THEMES]


def size_argument(text: str) -> list[Size]:
    """:func:`parse_sizes` for argparse (``--size``): a bad size is a usage error."""
    try:
        return parse_sizes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _pick(wanted: Sequence[str] | None, available: Sequence[str], kind: str) -> list[str]:
    """``wanted`` (in the order of ``available``), or all of ``available`` when none is given."""
    if not wanted:
        return list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise PreviewError(
            f"unknown {kind} {', '.join(unknown)}: use one of {', '.join(available)}"
        )
    return [name for name in available if name in wanted]


def check_out_folder(out: Path, content_dir: Path) -> None:
    """Refuse an ``--out`` that is (inside) the content folder, or that is a file."""
    out_resolved = out.resolve()
    content_resolved = content_dir.resolve()
    if out_resolved.is_relative_to(content_resolved):
        raise PreviewError(
            f"{out} is inside the content folder {content_dir}: the kiosk would treat the "
            "pictures as a content change. Choose another folder, e.g. --out preview/"
        )
    if out_resolved.exists() and not out_resolved.is_dir():
        raise PreviewError(f"{out} is a file, not a folder: choose a folder for the pictures")


# --------------------------------------------------------------------------------------------
# Which answers lead to which result
# --------------------------------------------------------------------------------------------


def answers_for_results(
    selfcheck: SelfCheckText, limit: int = MAX_COMBINATIONS
) -> tuple[dict[str, dict[str, Answer]], bool]:
    """For every result a visitor can reach, the simplest answers that lead to it.

    "Simplest" means the fewest answers other than No, so a staff member reading the caption
    sees only the answers that matter. Combinations are tried in that order through the real
    :func:`~kiosk.rules.selfcheck.evaluate`, so the rules' order and ``at_least`` are honoured.

    Returns the answers found per result id and whether the search was complete (it stops at
    ``limit`` combinations, or as soon as every result has been found).
    """
    question_ids = [question.id for question in selfcheck.questions]
    wanted = {result.id for result in selfcheck.results}
    others: tuple[Answer, ...] = tuple(a for a in ANSWERS if a != BASE_ANSWER)
    found: dict[str, dict[str, Answer]] = {}
    tried = 0
    for count in range(len(question_ids) + 1):
        for changed in itertools.combinations(question_ids, count):
            for chosen in itertools.product(others, repeat=count):
                if tried >= limit:
                    return found, False
                tried += 1
                answers: dict[str, Answer] = dict.fromkeys(question_ids, BASE_ANSWER)
                answers.update(zip(changed, chosen, strict=True))
                result_id = evaluate(selfcheck, answers).result.id
                if result_id not in found:
                    found[result_id] = answers
                    if wanted <= found.keys():
                        return found, True
    return found, True


def describe_answers(answers: Mapping[str, Answer]) -> str:
    """``withdrawal: yes; every other question: no`` (the answers that differ from No)."""
    special = [f"{question}: {answer}" for question, answer in answers.items() if answer != "no"]
    if not special:
        return "every question: no"
    if len(special) == len(answers):
        return "; ".join(special)
    return "; ".join(special) + "; every other question: no"


# --------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------


def _frozen_clock() -> float:
    """The app's clock during a preview: time stands still, so the idle warning never pops up
    over a picture however slow the machine is."""
    return 0.0


@contextmanager
def _colour_allowed() -> Iterator[None]:
    """Draw in colour even if the staff member's terminal sets NO_COLOR.

    Textual reads NO_COLOR when an app is created and would then draw every picture in grey,
    which is not what visitors see. The variable is restored afterwards.
    """
    saved = os.environ.pop("NO_COLOR", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["NO_COLOR"] = saved


class _Camera:
    """Takes the pictures of one running app and writes them under ``out``."""

    def __init__(
        self,
        app: KioskApp,
        pilot: Pilot[None],
        preview: Preview,
        folder: Path,
        language: str,
        theme: str,
        size: Size,
    ) -> None:
        self.app = app
        self.pilot = pilot
        self.preview = preview
        self.folder = folder
        self.language = language
        self.theme = theme
        self.size = size

    async def wait_for(self, ready: Callable[[], bool], what: str) -> None:
        """Let the app work until ``ready()`` holds (a pushed screen is mounted, say)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            await self.pilot.pause(0)
            if ready():
                return
        raise RuntimeError(f"the app did not get to {what} within {WAIT_SECONDS} s")

    async def go(self, navigate: Callable[[], object], screen_class: type[S]) -> S:
        """Run ``navigate`` and wait until a *new*, mounted ``screen_class`` is on top."""
        before = self.app.screen
        navigate()
        await self.wait_for(
            lambda: (
                isinstance(self.app.screen, screen_class)
                and self.app.screen is not before
                and self.app.screen.is_mounted
            ),
            f"the {screen_class.__name__}",
        )
        screen = self.app.screen
        assert isinstance(screen, screen_class)
        return screen

    async def settled(self, title: str = "") -> str:
        """The screen as SVG once it stops changing.

        ``pause(0)`` lets every queued message of the screen run; a change such as mounting a
        section's text can need two or three layout passes (a scroll bar appears and the text
        re-wraps), so the picture is taken when two renders in a row are the same. Compared
        with snapshot-style waits (pause, wait for animations, pause) on all 132 pictures of
        the bundled content, every picture is byte-identical and the run is ~6x faster.
        """
        previous = ""
        svg = ""
        for _ in range(MAX_RENDERS):
            await self.pilot.pause(0)
            svg = self.app.export_screenshot(title=title)
            if svg == previous:
                return svg
            previous = svg
        return svg  # still changing (e.g. a countdown ticked): the latest render will do

    async def shoot(self, name: str, title: str, note: str = "") -> None:
        """Save the current screen as ``<name>.svg`` and remember it for the gallery."""
        relative = self.folder / f"{name}.svg"
        # The picture's own title bar shows where it belongs; the full title (which can be
        # longer than the picture is wide) is in the gallery's caption.
        svg = await self.settled(relative.with_suffix("").as_posix())
        target = self.preview.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(wide_characters_drawn_wide(svg), encoding="utf-8")
        self.preview.pictures.append(
            Picture(relative, title, self.language, self.theme, self.size, note)
        )


async def _draw_one_app(
    preview: Preview,
    settings: Settings,
    library: ContentLibrary,
    language: str,
    theme: str,
    size: Size,
    result_answers: Mapping[str, Mapping[str, Answer]],
) -> None:
    """Walk one app through every screen, taking a picture of each."""
    # Imported here: Textual reads its environment variables at import time, and the CLI
    # clears the debug ones (log files, screenshots) just before calling the preview.
    from kiosk.app import KioskApp
    from kiosk.screens.compare import CompareScreen, OptionScreen, SideBySideScreen
    from kiosk.screens.help import HelpScreen
    from kiosk.screens.idle import IdleWarningScreen
    from kiosk.screens.language import LanguageScreen
    from kiosk.screens.learn import LearnScreen
    from kiosk.screens.selfcheck import SelfCheckScreen
    from kiosk.screens.welcome import WelcomeScreen

    # The app's reset restores language and theme from the settings: put the wanted ones there.
    kiosk_settings = msgspec.structs.replace(settings.kiosk, theme=theme, default_language=language)
    app = KioskApp(
        msgspec.structs.replace(settings, kiosk=kiosk_settings),
        library,
        # Not kiosk mode: an error while drawing must stop the preview with a message, not be
        # "recovered" into a welcome screen that would then be saved under the wrong name.
        kiosk_mode=False,
        clock=_frozen_clock,
    )
    content = library.get(language)
    folder = Path(language) / theme / size_name(size)
    async with app.run_test(size=size) as pilot:
        camera = _Camera(app, pilot, preview, folder, language, theme, size)
        await camera.wait_for(
            lambda: isinstance(app.screen, WelcomeScreen) and app.screen.is_mounted, "welcome"
        )
        await camera.shoot("welcome", "Welcome")
        if len(library.languages) > 1:
            # The list of languages (the Language button, or L), each named in itself.
            await camera.go(app.action_choose_language, LanguageScreen)
            await camera.shoot("languages", "The list of languages")
            app.pop_screen()

        # Learn: every tab.
        learn = await camera.go(lambda: app.action_open_area("learn"), LearnScreen)
        sections = content.learn.sections
        for number, section in enumerate(sections, start=1):
            learn.show_section(section.id)
            # As after a tap: the open tab also has the focus (else tab 1 keeps the marker).
            for tab in learn.query(f"#tab-{section.id}"):
                tab.focus()
            await camera.shoot(
                f"learn-{number:02d}-{section.id}",
                f"Learn, tab {number} of {len(sections)}: {section.title}",
            )

        # Compare: the top (picker), the table, side by side, each option.
        compare = await camera.go(lambda: app.action_open_area("compare"), CompareScreen)
        await camera.shoot("compare-1-top", "Compare: the top (pick options)")
        compare.query_one("#compare-grid").scroll_visible(animate=False, top=True)
        await camera.shoot("compare-2-table", "Compare: the table")
        options = content.compare.options
        first = options[:3]
        await camera.go(lambda: app.push_screen(SideBySideScreen(first)), SideBySideScreen)
        await camera.shoot(
            "compare-3-side-by-side",
            "Compare: side by side (" + ", ".join(o.short_name for o in first) + ")",
        )
        app.pop_screen()
        for number, option in enumerate(options, start=1):
            await camera.go(partial(app.push_screen, OptionScreen(option)), OptionScreen)
            await camera.shoot(
                f"option-{number:02d}-{option.id}",
                f"Option {number} of {len(options)}: {option.name}",
            )
            app.pop_screen()

        # Self-check: the start, every question, every result that answers can reach.
        selfcheck = await camera.go(lambda: app.action_open_area("selfcheck"), SelfCheckScreen)
        await camera.shoot("selfcheck-00-start", "Self-check: the start")
        questions = content.selfcheck.questions
        for number, question in enumerate(questions, start=1):
            selfcheck.show_question(number - 1)
            await camera.shoot(
                f"selfcheck-{number:02d}-{question.id}",
                f"Self-check, question {number} of {len(questions)} ({question.id})",
            )
        for number, result in enumerate(content.selfcheck.results, start=1):
            answers = result_answers.get(result.id)
            if answers is None:
                continue  # unreachable: reported as a warning instead
            # Back to a question first, as a visitor would: that removes the last result's
            # widgets before the next result mounts its own (same ids).
            selfcheck.show_question(len(questions) - 1)
            await camera.settled()
            selfcheck.answers.erase()
            for question_id, answer in answers.items():
                selfcheck.answers.give(question_id, answer)
            selfcheck.show_result()
            await camera.shoot(
                f"result-{number:02d}-{result.id}",
                f"Self-check result {number}: {result.heading} ({result.id})",
                note="Answers: " + describe_answers(answers),
            )
        selfcheck.answers.erase()
        # The help lines over the self-check (H in the middle of it).
        selfcheck.show_question(0)
        selfcheck.show_help()
        await camera.shoot("selfcheck-help", "Self-check: the help lines over a question")
        selfcheck.hide_help()

        # Help, then the idle warning over it.
        def open_help() -> None:
            app.action_home()  # from the welcome screen: help over the self-check is above
            app.action_open_area("help")

        await camera.go(open_help, HelpScreen)
        await camera.shoot("help", "Help lines")
        seconds = settings.kiosk.idle_warning_seconds
        await camera.go(
            lambda: app.push_screen(IdleWarningScreen(seconds, app.content)), IdleWarningScreen
        )
        await camera.shoot("idle-warning", f"Idle warning ({seconds} s countdown)")


async def _draw_all(
    preview: Preview,
    settings: Settings,
    library: ContentLibrary,
    languages: Sequence[str],
    themes: Sequence[str],
    sizes: Sequence[Size],
    result_answers: Mapping[str, Mapping[str, Mapping[str, Answer]]],
) -> None:
    # One app after the other: drawing is CPU-bound, so running apps side by side in one
    # event loop would not be faster, and Textual keeps its "active app" per task anyway.
    for language in languages:
        for theme in themes:
            for size in sizes:
                try:
                    await _draw_one_app(
                        preview, settings, library, language, theme, size, result_answers[language]
                    )
                except Exception as error:
                    raise PreviewError(
                        f"could not draw the screens in {language} / {theme} / "
                        f"{size_name(size)}: {type(error).__name__}: {error}"
                    ) from error


# --------------------------------------------------------------------------------------------
# The gallery
# --------------------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; background: #fff; }
header { max-width: 70rem; }
code { background: #f1f3f5; padding: 0 .25rem; }
.warnings { border: 2px solid #7a4b00; padding: .5rem 1rem; background: #fff8e1; }
nav ul { columns: 2; }
section { margin-top: 2.5rem; }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(30rem, 1fr));
  gap: 1.5rem; }
figure { margin: 0; border: 1px solid #c5ccd3; padding: .5rem; }
figure img { width: 100%; height: auto; display: block; }
figcaption { margin-top: .4rem; line-height: 1.4; }
figcaption .where { color: #3d4650; }
figcaption .file { font-family: monospace; font-size: .85rem; color: #3d4650; }
"""


def _group_id(language: str, theme: str) -> str:
    return f"{language}-{theme}"


def render_index(preview: Preview, library: ContentLibrary) -> str:
    """The gallery page: a header, then the pictures grouped by language, theme and size."""
    esc = html.escape
    groups: dict[tuple[str, str], dict[Size, list[Picture]]] = {}
    for picture in preview.pictures:
        groups.setdefault((picture.language, picture.theme), {}).setdefault(
            picture.size, []
        ).append(picture)
    languages = sorted({p.language for p in preview.pictures}, key=list(library.languages).index)
    themes = [t for t in theme_names() if any(p.theme == t for p in preview.pictures)]
    sizes = list(dict.fromkeys(p.size for p in preview.pictures))

    def language_label(language: str) -> str:
        return f"{library.get(language).ui.language_name} ({language})"

    made = preview.started.strftime("%Y-%m-%d at %H:%M:%S %Z").strip()
    lines = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Kiosk preview of {esc(str(preview.content_dir))}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<header>",
        "<h1>Kiosk preview</h1>",
        f"<p>Content folder: <code>{esc(str(preview.content_dir))}</code><br>",
        f"Settings: <code>{esc(str(preview.config))}</code><br>",
        (
            f"Lobby: <strong>{esc(library.site)}</strong> (its site file "
            f"<code>sites/{esc(library.site)}.yaml</code> over the shared content)<br>"
            if library.site
            else "Lobby: none (the shared content as it is)<br>"
        ),
        f"Made on {esc(made)} by <code>kiosk preview</code> in {preview.seconds:.1f} seconds.</p>",
        f"<p>{len(preview.pictures)} pictures: "
        f"{len(languages)} language(s) ({esc(', '.join(languages))}), "
        f"{len(themes)} theme(s) ({esc(', '.join(themes))}), "
        f"{len(sizes)} size(s) ({esc(', '.join(size_name(s) for s in sizes))}). "
        "Each picture shows the screen exactly as the kiosk draws it. "
        "Click a picture to open it full size.</p>",
    ]
    if preview.warnings:
        lines.append('<div class="warnings"><p><strong>Please check:</strong></p><ul>')
        lines.extend(f"<li>{esc(warning)}</li>" for warning in preview.warnings)
        lines.append("</ul></div>")
    lines.append("<nav><ul>")
    for language, theme in groups:
        lines.append(
            f'<li><a href="#{_group_id(language, theme)}">'
            f"{esc(language_label(language))}, {esc(theme)}</a></li>"
        )
    lines.extend(["</ul></nav>", "</header>", "<main>"])
    for (language, theme), by_size in groups.items():
        lines.append(f'<section id="{_group_id(language, theme)}">')
        lines.append(f"<h2>{esc(language_label(language))} · theme {esc(theme)}</h2>")
        for size, pictures in by_size.items():
            lines.append(f"<h3>Terminal size {size_name(size)}</h3>")
            lines.append('<div class="gallery">')
            for picture in pictures:
                lines.extend(_figure(picture, language_label(language)))
            lines.append("</div>")
        lines.append("</section>")
    lines.extend(["</main>", "</body>", "</html>", ""])
    return "\n".join(lines)


def _figure(picture: Picture, language_label: str) -> list[str]:
    esc = html.escape
    href = esc(quote(picture.path.as_posix()))
    where = f"{language_label} · {picture.theme} · {size_name(picture.size)}"
    note = f"<br>{esc(picture.note)}" if picture.note else ""
    return [
        "<figure>",
        f'<a href="{href}"><img src="{href}" alt="{esc(picture.title)}, {esc(where)}" '
        'loading="lazy"></a>',
        f"<figcaption><strong>{esc(picture.title)}</strong><br>"
        f'<span class="where">{esc(where)}</span>{note}<br>'
        f'<span class="file">{esc(picture.path.as_posix())}</span></figcaption>',
        "</figure>",
    ]


# --------------------------------------------------------------------------------------------
# The command
# --------------------------------------------------------------------------------------------


def _load(
    config: Path, content_dir: Path | None, site: str | None
) -> tuple[Settings, ContentLibrary]:
    """Settings and content (with ``site``'s layer, default kiosk.toml's), or
    :class:`ContentError` listing every problem of both."""
    loaded = load_site(config, content_dir, site=site)
    if loaded.problems or loaded.settings is None or loaded.library is None:
        raise ContentError(loaded.problems)
    return loaded.settings, loaded.library


#: A run of text in Rich's SVG, with the width Rich squeezes it into.
_SVG_TEXT = re.compile(r'(<text [^>]*?textLength=")([0-9.]+)("[^>]*>)([^<]*)(</text>)')


def wide_characters_drawn_wide(svg: str) -> str:
    """``svg`` with each run of text as wide as its cells on the screen.

    Rich's SVG export (13.x) gives a run of text the width of its characters (``len``), not of
    its cells: a run of Chinese, two cells a character, is squeezed into half its room and the
    characters overlap, although the screen itself is right (the background boxes, which Rich
    sizes by cells, show where each should be). Staff reviewing a translation must see what a
    visitor sees, so each run's ``textLength`` is set from its cells.
    """

    def widen(match: re.Match[str]) -> str:
        text = html.unescape(match.group(4))
        cells = cell_len(text)
        if not text or cells == len(text):
            return match.group(0)
        width = float(match.group(2)) / len(text) * cells
        return f"{match.group(1)}{width:g}{match.group(3)}{match.group(4)}{match.group(5)}"

    return _SVG_TEXT.sub(widen, svg)


def make_preview(
    config: Path,
    content_dir: Path | None,
    out: Path,
    *,
    sizes: Sequence[Size] = DEFAULT_SIZES,
    languages: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    site: str | None = None,
) -> Preview:
    """Validate, draw every screen, write the SVGs and ``index.html`` under ``out``.

    Raises :class:`ContentError` (bad content or settings: nothing is written) or
    :class:`PreviewError` (a bad argument, or a screen that could not be drawn).
    """
    started = datetime.now().astimezone()
    clock_start = time.perf_counter()
    settings, library = _load(config, content_dir, site)
    check_out_folder(out, library.folder)
    chosen_languages = _pick(languages, list(library.languages), "language")
    chosen_themes = _pick(themes, theme_names(), "theme")
    preview = Preview(
        out=out,
        content_dir=library.folder.resolve(),
        config=config.resolve(),
        started=started,
    )
    result_answers: dict[str, dict[str, dict[str, Answer]]] = {}
    for language in chosen_languages:
        selfcheck = library.get(language).selfcheck
        found, complete = answers_for_results(selfcheck)
        result_answers[language] = found
        for result in selfcheck.results:
            if result.id in found:
                continue
            if complete:
                why = "no set of answers leads to it (an earlier rule in selfcheck.yaml wins)"
            else:
                why = f"none of the first {MAX_COMBINATIONS} sets of answers leads to it"
            preview.warnings.append(
                f"{language}: self-check result '{result.id}' has no picture: {why}"
            )
    out.mkdir(parents=True, exist_ok=True)
    with _colour_allowed():
        asyncio.run(
            _draw_all(
                preview,
                settings,
                library,
                chosen_languages,
                chosen_themes,
                sizes,
                result_answers,
            )
        )
    preview.seconds = time.perf_counter() - clock_start
    (out / "index.html").write_text(render_index(preview, library), encoding="utf-8")
    return preview


def run_preview(
    config: Path,
    content_dir: Path | None,
    out: Path,
    *,
    sizes: Sequence[Size] = DEFAULT_SIZES,
    languages: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    site: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """``kiosk preview``: 0 with a summary line, or 1 with every problem on stderr."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        preview = make_preview(
            config, content_dir, out, sizes=sizes, languages=languages, themes=themes, site=site
        )
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=stderr)
        print(
            f"{len(error.problems)} problem(s) found; no pictures were made. "
            "Fix them and run the preview again.",
            file=stderr,
        )
        return 1
    except PreviewError as error:
        print(f"kiosk preview: {error}", file=stderr)
        return 1
    for warning in preview.warnings:
        print(f"warning: {warning}", file=stderr)
    print(
        f"{len(preview.pictures)} pictures of {preview.content_dir} written to {out} "
        f"in {preview.seconds:.1f} s. Open {out / 'index.html'} in a web browser.",
        file=stdout,
    )
    return 0

"""``kiosk preview``: pictures of every screen, an index.html, and nothing written elsewhere.

The full run (every language, both themes, 80x24: 370 pictures, ~25 s) happens once per module,
in a subprocess started like a staff member would start it, so that what reaches the "terminal"
(the subprocess's stdout and stderr) and the environment handling are tested as they are for
real. Broken content and bad arguments fail before anything is drawn, so they run in-process.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from kiosk.cli import main
from kiosk.content.model import ContentLibrary, Rule, load_library
from kiosk.rules.selfcheck import evaluate
from kiosk.themes import THEMES
from kiosk.tools.preview import answers_for_results, describe_answers, parse_sizes

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
CONFIG_FILE = ROOT / "kiosk.toml"
THEME_NAMES = [theme.name for theme in THEMES]


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def svg_text(svg: str) -> str:
    """The words drawn in an SVG screenshot, one terminal row per line."""
    text = "".join(re.findall(r">([^<>]*)</text>", svg))
    return html.unescape(text).replace("\xa0", " ")


def expected_pictures(library: ContentLibrary) -> set[str]:
    """The file of every picture a full run at 80x24 must make."""
    names: set[str] = set()
    for language, content in library.languages.items():
        screens = ["welcome", "languages", "compare-1-top", "compare-2-table"]
        screens += ["compare-3-side-by-side"]
        screens += [f"learn-{n:02d}-{s.id}" for n, s in enumerate(content.learn.sections, 1)]
        screens += [f"option-{n:02d}-{o.id}" for n, o in enumerate(content.compare.options, 1)]
        screens += ["selfcheck-00-start"]
        screens += [
            f"selfcheck-{n:02d}-{q.id}" for n, q in enumerate(content.selfcheck.questions, 1)
        ]
        screens += [f"result-{n:02d}-{r.id}" for n, r in enumerate(content.selfcheck.results, 1)]
        screens += ["selfcheck-help", "help", "idle-warning"]
        for theme in THEME_NAMES:
            names.update(f"{language}/{theme}/80x24/{screen}.svg" for screen in screens)
    return names


@dataclass
class FullRun:
    out: Path
    cwd: Path
    content: Path
    library: ContentLibrary
    process: subprocess.CompletedProcess[str]
    content_before: dict[str, tuple[int, int]]
    content_after: dict[str, tuple[int, int]]
    textual_log: Path


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> FullRun:
    """One preview of the bundled content, as `kiosk preview` from an unrelated folder.

    It runs on a copy of the content, so that the listing before and after cannot be upset
    by someone editing the repository's content at the same time.
    """
    base = tmp_path_factory.mktemp("preview")
    site = base / "site"
    shutil.copytree(CONTENT_DIR, site / "content")
    shutil.copy(CONFIG_FILE, site / "kiosk.toml")
    content = site / "content"
    cwd = base / "cwd"
    cwd.mkdir()
    out = base / "out"
    textual_log = base / "textual.log"
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("TEXTUAL") and name != "NO_COLOR"
    }
    # Both would change the pictures or write a file outside --out if the preview let them.
    env.update(NO_COLOR="1", TEXTUAL_LOG=str(textual_log), PYTHONDONTWRITEBYTECODE="1")
    content_before = listing(site)
    config = str(site / "kiosk.toml")
    process = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", config, "preview", "--out", str(out)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,  # five languages: ~25 s on an idle machine, minutes on a busy one
        check=False,
    )
    return FullRun(
        out,
        cwd,
        content,
        load_library(content),
        process,
        content_before,
        listing(site),
        textual_log,
    )


def test_full_run_succeeds_quietly(full_run: FullRun) -> None:
    assert full_run.process.returncode == 0, full_run.process.stderr
    # One summary line; no warnings (every result is reachable); no escape sequences, which
    # would mean Textual drew on the real terminal.
    assert full_run.process.stderr == ""
    lines = full_run.process.stdout.splitlines()
    assert len(lines) == 1
    # Every language, both themes, 80x24 (two languages made 144 pictures; five, 370).
    assert lines[0].startswith(f"{len(expected_pictures(full_run.library))} pictures of ")
    assert "index.html" in lines[0]
    assert "\x1b" not in full_run.process.stdout


def test_every_screen_has_its_picture(full_run: FullRun) -> None:
    made = {str(p.relative_to(full_run.out)) for p in full_run.out.rglob("*.svg")}
    assert made == expected_pictures(full_run.library)


def test_index_embeds_and_names_every_picture(full_run: FullRun) -> None:
    library = full_run.library
    index = (full_run.out / "index.html").read_text(encoding="utf-8")
    assert str(full_run.content) in index  # says which content folder the pictures show
    assert re.search(r"Made on \d{4}-\d\d-\d\d at \d\d:\d\d", index)
    figures = re.findall(r"<figure>(.*?)</figure>", index, flags=re.DOTALL)
    sources = set()
    for figure in figures:
        source = re.search(r'<img src="([^"]+)"', figure)
        assert source, figure
        sources.add(html.unescape(source.group(1)))
        caption = html.unescape(re.search(r"<figcaption>(.*?)</figcaption>", figure).group(1))
        language, theme, size = source.group(1).split("/")[:3]
        title = re.search(r"<strong>(.+?)</strong>", caption).group(1)
        assert title.strip()
        assert f"({language})" in caption and theme in caption and size in caption
    assert sources == expected_pictures(library)
    # Grouped: one section per language and theme, in the library's and the themes' order.
    groups = re.findall(r'<section id="([^"]+)">', index)
    assert groups == [f"{lang}-{theme}" for lang in library.languages for theme in THEME_NAMES]


def test_pictures_show_the_content(full_run: FullRun) -> None:
    library = full_run.library

    def text(language: str, theme: str, name: str) -> str:
        svg = (full_run.out / language / theme / "80x24" / f"{name}.svg").read_text("utf-8")
        return svg_text(svg)

    english_help = text("en", "kiosk-light", "help")
    spanish_help = text("es", "kiosk-high-contrast", "help")
    assert "(425) 629-0433" in english_help
    assert "(425) 629-0433" in spanish_help
    spanish = library.get("es").ui
    assert spanish.help_title in spanish_help
    assert spanish.help_title not in english_help
    assert library.get("es").ui.idle_title in text("es", "kiosk-light", "idle-warning")
    # A result picture shows that result, not another one.
    for number, result in enumerate(library.get("en").selfcheck.results, start=1):
        shown = text("en", "kiosk-light", f"result-{number:02d}-{result.id}")
        assert result.heading in shown
    # The third tab's own text, not the first tab's (its first words fit on one row).
    section = library.get("en").learn.sections[2]
    assert " ".join(section.summary.split()[:5]) in text(
        "en", "kiosk-light", "learn-03-" + section.id
    )


def test_pictures_are_in_colour_despite_no_color(full_run: FullRun) -> None:
    svg = (full_run.out / "en" / "kiosk-high-contrast" / "80x24" / "welcome.svg").read_text()
    assert "#ffff00" in svg.lower()  # the high-contrast theme's yellow


def test_nothing_is_written_outside_out(full_run: FullRun) -> None:
    assert full_run.content_after == full_run.content_before
    assert list(full_run.cwd.iterdir()) == []
    assert not full_run.textual_log.exists()
    assert {p.name for p in full_run.out.parent.iterdir()} == {"cwd", "out", "site"}


# -- failures: nothing is drawn, nothing is written -----------------------------------------


def test_broken_content_prints_file_and_line_and_writes_nothing(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    help_file = site / "content" / "es" / "help.yaml"
    lines = help_file.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines, 1) if line.startswith("clinic_phone:"))
    lines[number - 1] = 'clinic_phone: ""\n'
    help_file.write_text("".join(lines), encoding="utf-8")
    before = listing(site)
    out = tmp_path / "pictures"

    code = main(["--config", str(site / "kiosk.toml"), "preview", "--out", str(out)])

    assert code == 1
    stderr = capsys.readouterr().err
    assert f"{help_file}:{number}: clinic_phone" in stderr
    assert "no pictures were made" in stderr
    assert not out.exists()
    assert listing(site) == before


def test_refuses_to_write_into_the_content_folder(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = site / "content" / "en" / "pictures"
    code = main(["--config", str(site / "kiosk.toml"), "preview", "--out", str(out)])
    assert code == 1
    assert "inside the content folder" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_language_or_theme_is_refused(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pictures"
    config = str(site / "kiosk.toml")
    assert main(["--config", config, "preview", "--out", str(out), "--language", "fr"]) == 1
    assert "unknown language fr: use one of en, es" in capsys.readouterr().err
    assert main(["--config", config, "preview", "--out", str(out), "--theme", "pink"]) == 1
    assert "unknown theme pink" in capsys.readouterr().err
    assert not out.exists()


def test_bad_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["preview", "--size", "80by24"])
    assert exit_info.value.code == 2
    assert "write columns x rows, e.g. 80x24" in capsys.readouterr().err


# -- the parts ------------------------------------------------------------------------------


def test_parse_sizes() -> None:
    assert parse_sizes("80x24") == [(80, 24)]
    assert parse_sizes("80x24, 160X48,80x24") == [(80, 24), (160, 48)]
    for bad in ("80", "x24", "80x", "10x10", "80x24x2", ""):
        with pytest.raises(ValueError):
            parse_sizes(bad)


def test_answers_found_lead_to_their_results(library: ContentLibrary) -> None:
    for content in library.languages.values():
        selfcheck = content.selfcheck
        found, complete = answers_for_results(selfcheck)
        assert complete
        assert set(found) == {result.id for result in selfcheck.results}
        for result_id, answers in found.items():
            assert set(answers) == {question.id for question in selfcheck.questions}
            assert evaluate(selfcheck, answers).result.id == result_id
    # The simplest answers: the danger question alone leads to "talk to medical staff".
    found, _ = answers_for_results(library.get("en").selfcheck)
    assert describe_answers(found["medical_first"]) == ("withdrawal: yes; every other question: no")


def test_unreachable_results_are_found(library: ContentLibrary) -> None:
    selfcheck = library.get("en").selfcheck
    # A first rule that matches every answer to the first question hides every other result.
    first = selfcheck.questions[0].id
    catch_all = Rule(
        id="catch_all", result="medical_first", when_any={first: ("yes", "no", "not_sure")}
    )
    shadowed = msgspec.structs.replace(selfcheck, rules=(catch_all, *selfcheck.rules))
    found, complete = answers_for_results(shadowed)
    assert complete
    assert set(found) == {"medical_first"}
    # A search cut short says so.
    found, complete = answers_for_results(shadowed, limit=3)
    assert not complete


def test_a_lobby_preview_shows_that_lobby(tmp_path: Path) -> None:
    # Head office checks a lobby before a roll-out: its phone on its screens, in its language.
    out = tmp_path / "eastpark"
    argv = ["--config", str(ROOT / "kiosk.toml"), "preview", "--site", "eastpark"]
    argv += ["--size", "80x24", "--language", "es", "--theme", "kiosk-light", "--out", str(out)]
    assert main(argv) == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Lobby: <strong>eastpark</strong>" in index
    help_picture = (out / "es" / "kiosk-light" / "80x24" / "help.svg").read_text(encoding="utf-8")
    assert "555-0172" in html.unescape(help_picture).replace("\xa0", " ")
    assert "629-0433" not in html.unescape(help_picture).replace("\xa0", " ")

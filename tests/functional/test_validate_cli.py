"""``kiosk validate``: a one-line summary and exit 0, or every ``file:line: message`` and exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"
CONFIG_FILE = ROOT / "kiosk.toml"


def line_of(file: Path, line: str) -> int:
    numbers = [
        n
        for n, current in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1)
        if current == line
    ]
    assert len(numbers) == 1, f"{line!r} is on lines {numbers} of {file}, expected once"
    return numbers[0]


def replace_line(file: Path, old: str, new: str) -> int:
    """Replace the line ``old`` of ``file`` by ``new``; return its number."""
    number = line_of(file, old)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[number - 1] = new + "\n"
    file.write_text("".join(lines), encoding="utf-8")
    return number


def break_two_files(content: Path) -> list[str]:
    """Make one mistake in each of two files; return the ``file:line:`` prefixes expected."""
    ui = content / "en" / "ui.yaml"
    learn = content / "en" / "learn.yaml"
    ui_line = replace_line(ui, "back_button: Back", 'back_button: ""')
    learn_line = replace_line(
        learn, "    title: Other options", "    title: Other treatment options"
    )
    return [f"{learn}:{learn_line}: ", f"{ui}:{ui_line}: "]


def test_good_content_prints_a_one_line_summary(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    content = site / "content"
    code = main(["--config", str(site / "kiosk.toml"), "validate", str(content)])
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    # One summary line, the lobbies' site files checked with it, then the reading-level
    # report: one line per section and language.
    summary, sites, heading, *readings = out.splitlines()
    assert sites == "Also checked with the site files of: eastpark, northgate, riverside (all OK)."
    assert heading == "Reading level of each Learn section:"
    # Measured languages a line per section; vi and zh-Hans one line: not measured.
    assert len(readings) == 3 * 8 + 2
    assert all(line.endswith("(ok)") or "not measured" in line for line in readings)
    assert "  vi: not measured (" in out and "  zh-Hans: not measured (" in out
    assert "  ru dual_diagnosis: Oborneva reading ease" in out
    assert "  en dual_diagnosis: Flesch–Kincaid grade" in out
    assert summary.startswith(f"OK {content}: ")
    assert "en: 8 sections, 8 options x 11 rows, 7 questions, 5 results" in summary
    assert "; es: " in summary


def test_summary_counts_follow_the_content(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for language in ("es", "vi", "ru", "zh-Hans"):
        shutil.rmtree(site / "content" / language)
    # The example lobbies' site files name Spanish: without it they are refused (tested in
    # tests/unit/test_site_layer.py); this content has no lobbies.
    shutil.rmtree(site / "content" / "sites")
    learn = site / "content" / "en" / "learn.yaml"
    text = learn.read_text(encoding="utf-8")
    learn.write_text(text[: text.index("  - id: talk_to_specialist")], encoding="utf-8")
    code = main(["--config", str(site / "kiosk.toml"), "validate", str(site / "content")])
    out, _ = capsys.readouterr()
    assert code == 0
    assert "en: 7 sections," in out
    assert "es:" not in out


def test_content_dir_defaults_to_the_one_in_kiosk_toml(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Run from another folder: content_dir = "content" is relative to kiosk.toml, not to here.
    monkeypatch.chdir(tmp_path)
    code = main(["--config", str(site / "kiosk.toml"), "validate"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"OK {(site / 'content').resolve()}: ")


def test_broken_content_prints_every_mistake_and_exits_1(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = break_two_files(site / "content")
    code = main(["--config", str(site / "kiosk.toml"), "validate", str(site / "content")])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(expected[0])
    assert "too long" in lines[0]
    assert lines[1].startswith(expected[1])
    assert "not left empty" in lines[1]
    assert "2 problem(s) found" in out
    assert not out.startswith("OK")


def test_settings_mistake_is_reported_the_same_way(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = site / "kiosk.toml"
    line = replace_line(config, "idle_seconds = 120", 'idle_seconds = "soon"')
    code = main(["--config", str(config), "validate", str(site / "content")])
    out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [f"{config}:{line}: kiosk.idle_seconds should be a whole number"]
    assert "1 problem(s) found" in out


def test_settings_and_content_mistakes_are_reported_together(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = site / "kiosk.toml"
    line = replace_line(config, "idle_warning_seconds = 30", "idle_warning_seconds = 5")
    expected = [f"{config}:{line}: ", *break_two_files(site / "content")]
    # The content is checked even though kiosk.toml is broken, so staff see every mistake.
    code = main(["--config", str(config), "validate", str(site / "content")])
    out, err = capsys.readouterr()
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 3, err
    for line_text, prefix in zip(lines, expected, strict=True):
        assert line_text.startswith(prefix)
    assert "idle_warning_seconds" in lines[0]
    assert "3 problem(s) found" in out


def test_missing_settings_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site / "missing.toml"
    code = main(["--config", str(config), "validate", str(site / "content")])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [f"{config}:1: settings file not found"]


def test_missing_content_folder(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = site / "nowhere"
    code = main(["--config", str(site / "kiosk.toml"), "validate", str(folder)])
    _, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [f"{folder}:1: content folder not found"]


def test_console_command_prints_the_line_and_no_traceback(site: Path) -> None:
    content = site / "content"
    selfcheck = content / "es" / "selfcheck.yaml"
    text = selfcheck.read_text(encoding="utf-8")
    selfcheck.write_text(text.replace("    result: ", "    resultado: ", 1), encoding="utf-8")
    first_rule = next(
        n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("    result: ")
    )
    ui = content / "en" / "ui.yaml"
    ui_line = replace_line(ui, "home_button: Home", "home_button: Home\nback_button: Again")
    completed = subprocess.run(
        [sys.executable, "-m", "kiosk", "--config", "kiosk.toml", "validate", "content"],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 1, output
    assert "Traceback" not in output
    lines = completed.stderr.splitlines()
    ui_file = Path("content") / "en" / "ui.yaml"
    es_file = Path("content") / "es" / "selfcheck.yaml"
    assert f"{ui_file}:{ui_line + 1}: 'back_button' appears twice in the same block" in (
        "\n".join(lines)
    )
    assert any(
        line.startswith(f"{es_file}:{first_rule}: unknown key 'resultado'") for line in lines
    ), completed.stderr
    assert "problem(s) found" in completed.stdout


def test_console_command_exits_0_on_good_content(site: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate"],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    assert completed.stdout.splitlines()[2] == "Reading level of each Learn section:"
    assert completed.stdout.startswith("OK ")

"""``kiosk.toml``: the bundled file, defaults, and mistakes reported as ``kiosk.toml:LINE: …``."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from kiosk.config import ConfigError, Settings, load_settings
from kiosk.content.yamlsource import Problem

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "kiosk.toml"
BUNDLED = CONFIG_FILE.read_text(encoding="utf-8")


def line_of(text: str, line: str) -> int:
    """The 1-based number of the only line of ``text`` that is exactly ``line``."""
    numbers = [n for n, current in enumerate(text.splitlines(), start=1) if current == line]
    assert len(numbers) == 1, f"{line!r} is on lines {numbers}, expected once"
    return numbers[0]


def edited(old: str, new: str) -> tuple[str, int]:
    """The bundled kiosk.toml with the line ``old`` replaced by ``new``, and that line's number."""
    number = line_of(BUNDLED, old)
    lines = BUNDLED.splitlines(keepends=True)
    lines[number - 1] = new + "\n"
    return "".join(lines), number


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / "kiosk.toml"
    file.write_text(text, encoding="utf-8")
    return file


def problems_of(file: Path) -> list[Problem]:
    with pytest.raises(ConfigError) as caught:
        load_settings(file)
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]
    return caught.value.problems


def expect_only(problems: list[Problem], file: Path, line: int, *phrases: str) -> Problem:
    shown = "\n".join(str(p) for p in problems)
    assert len(problems) == 1, f"expected one problem, got:\n{shown}"
    problem = problems[0]
    assert (problem.file, problem.line) == (file, line), shown
    for phrase in phrases:
        assert phrase in problem.message, shown
    assert str(problem).startswith(f"{file}:{line}: ")
    return problem


# --------------------------------------------------------------------------------------------
# Good settings
# --------------------------------------------------------------------------------------------


def test_bundled_settings_load() -> None:
    settings = load_settings(CONFIG_FILE)
    assert settings.kiosk.content_dir == Path("content")
    assert settings.kiosk.default_language == "en"
    assert settings.kiosk.theme == "kiosk-light"
    assert settings.kiosk.idle_seconds == 120
    assert settings.kiosk.idle_warning_seconds == 30
    assert settings.staff.pin_hash == ""
    assert settings.speech.enabled is False
    assert settings.speech.private_audio is False
    assert settings.base_dir == ROOT
    assert settings.content_dir == ROOT / "content"
    assert settings.content_dir.is_dir()


def test_settings_are_immutable() -> None:
    settings = load_settings(CONFIG_FILE)
    with pytest.raises(AttributeError, match="immutable"):
        settings.kiosk.idle_seconds = 5  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        settings.speech = settings.speech  # type: ignore[misc]
    assert settings.kiosk.idle_seconds == 120


def test_empty_file_gives_every_default(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""))
    # Equal to the defaults in everything but the folder it was read from.
    assert msgspec.structs.replace(settings, base_dir=Settings().base_dir) == Settings()
    assert settings.kiosk.content_dir == Path("content")
    assert settings.kiosk.theme == "kiosk-light"
    assert settings.kiosk.idle_seconds == 120
    assert settings.kiosk.idle_warning_seconds == 30
    assert settings.staff.pin_hash == ""
    assert settings.speech.enabled is False


def test_missing_tables_and_keys_get_defaults(tmp_path: Path) -> None:
    settings = load_settings(
        write(tmp_path, "[kiosk]\nidle_seconds = 60\n\n[speech]\nenabled = true\n")
    )
    assert settings.kiosk.idle_seconds == 60
    assert settings.kiosk.idle_warning_seconds == 30
    assert settings.kiosk.default_language == "en"
    assert settings.speech.enabled is True
    assert settings.speech.private_audio is False
    assert settings.staff.pin_hash == ""


def test_lowest_allowed_warning_is_accepted(tmp_path: Path) -> None:
    text, _ = edited("idle_warning_seconds = 30", "idle_warning_seconds = 20")
    assert load_settings(write(tmp_path, text)).kiosk.idle_warning_seconds == 20


def test_content_dir_is_resolved_from_the_folder_of_kiosk_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    text, _ = edited('content_dir = "content"', 'content_dir = "shared/content"')
    settings = load_settings(write(site, text))
    assert settings.content_dir == (site / "shared" / "content").resolve()
    assert settings.content_dir.is_absolute()

    text, _ = edited('content_dir = "content"', 'content_dir = "../texts"')
    assert load_settings(write(site, text)).content_dir == (tmp_path / "texts").resolve()


def test_relative_config_path_still_resolves_from_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "site", BUNDLED)
    monkeypatch.chdir(tmp_path)
    settings = load_settings(Path("site/kiosk.toml"))
    assert settings.content_dir == (tmp_path / "site" / "content").resolve()


def test_absolute_content_dir_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "absolute" / "content"
    text, _ = edited('content_dir = "content"', f'content_dir = "{target.as_posix()}"')
    assert load_settings(write(tmp_path / "site", text)).content_dir == target.resolve()


# --------------------------------------------------------------------------------------------
# Mistakes
# --------------------------------------------------------------------------------------------


def test_unknown_key_names_its_line_and_the_allowed_keys(tmp_path: Path) -> None:
    text, line = edited("idle_seconds = 120", "idle_secs = 120")
    file = write(tmp_path, text)
    problems = problems_of(file)
    # The misspelt key is unknown; idle_seconds then just takes its default.
    problem = expect_only(problems, file, line, "unknown key 'idle_secs'")
    assert "fix its spelling" in problem.message
    assert (
        "allowed here: content_dir, default_language, site, theme, idle_seconds, "
        "idle_warning_seconds" in problem.message
    )


def test_key_in_the_wrong_table(tmp_path: Path) -> None:
    text, line = edited("enabled = false", "enabled = false\nidle_seconds = 60")
    file = write(tmp_path, text)
    problem = expect_only(problems_of(file), file, line + 1, "unknown key 'idle_seconds'")
    assert "allowed here: enabled, private_audio" in problem.message


def test_unknown_table(tmp_path: Path) -> None:
    text = BUNDLED + "\n[printer]\nenabled = true\n"
    file = write(tmp_path, text)
    line = line_of(text, "[printer]")
    problem = expect_only(problems_of(file), file, line, "unknown key 'printer'")
    assert "kiosk, staff, speech" in problem.message


def test_unknown_table_hint_lists_only_real_tables(tmp_path: Path) -> None:
    file = write(tmp_path, BUNDLED + "\n[printer]\nenabled = true\n")
    (problem,) = problems_of(file)
    assert problem.message.endswith("(allowed here: kiosk, staff, speech, serve, screen)")


def test_internal_base_dir_cannot_be_set(tmp_path: Path) -> None:
    text = 'base_dir = "/"\n' + BUNDLED
    file = write(tmp_path, text)
    expect_only(problems_of(file), file, 1, "unknown key 'base_dir'")


def test_wrong_type(tmp_path: Path) -> None:
    text, line = edited("idle_seconds = 120", 'idle_seconds = "soon"')
    file = write(tmp_path, text)
    expect_only(problems_of(file), file, line, "kiosk.idle_seconds should be a whole number")


def test_wrong_type_for_a_switch(tmp_path: Path) -> None:
    text, line = edited("enabled = false", "enabled = sometimes")
    file = write(tmp_path, text)
    # Unquoted words are not TOML values at all.
    expect_only(problems_of(file), file, line, "TOML syntax error")
    text, line = edited("enabled = false", 'enabled = "sometimes"')
    file = write(tmp_path, text)
    expect_only(problems_of(file), file, line, "speech.enabled should be true or false")


def test_table_that_is_a_value(tmp_path: Path) -> None:
    file = write(tmp_path, "kiosk = 5\n")
    expect_only(problems_of(file), file, 1, "kiosk should be a block of 'key: value' lines")


def test_idle_warning_below_20_seconds_is_rejected(tmp_path: Path) -> None:
    text, line = edited("idle_warning_seconds = 30", "idle_warning_seconds = 19")
    file = write(tmp_path, text)
    expect_only(
        problems_of(file),
        file,
        line,
        "kiosk.idle_warning_seconds",
        "greater than or equal to 20",
    )


def test_unknown_theme(tmp_path: Path) -> None:
    old = next(line for line in BUNDLED.splitlines() if line.startswith("theme = "))
    text, line = edited(old, 'theme = "dark"')
    file = write(tmp_path, text)
    expect_only(
        problems_of(file),
        file,
        line,
        "kiosk.theme is 'dark'",
        "'kiosk-light' or 'kiosk-high-contrast'",
    )


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    text, idle = edited("idle_seconds = 120", 'idle_seconds = "soon"')
    lines = text.splitlines()
    private = line_of(text, "private_audio = false")
    lines[private - 1] = "private_audio = 3"
    file = write(tmp_path, "\n".join(lines) + "\n")
    problems = problems_of(file)
    assert [(p.line, p.message) for p in problems] == [
        (idle, "kiosk.idle_seconds should be a whole number"),
        (private, "speech.private_audio should be true or false"),
    ]
    assert all(p.file == file for p in problems)


def test_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    old = next(line for line in BUNDLED.splitlines() if line.startswith("theme = "))
    text, line = edited(old, 'theme = "kiosk-light')
    file = write(tmp_path, text)
    problem = expect_only(problems_of(file), file, line, "TOML syntax error")
    assert "Check quotes and '=' signs" in problem.message
    assert "(at line" not in problem.message


def test_toml_value_missing(tmp_path: Path) -> None:
    text, line = edited("idle_seconds = 120", "idle_seconds =")
    file = write(tmp_path, text)
    expect_only(problems_of(file), file, line, "TOML syntax error")


def test_missing_file(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.toml"
    expect_only(problems_of(file), file, 1, "settings file not found")


def test_larger_text_font_comes_from_the_screen_or_is_given(tmp_path: Path) -> None:
    """[screen]: the 15.6-inch 1080p touchscreen needs 48 px letters at 50 cm; a 24-inch one
    32 px; staff may give the size instead."""
    assert load_settings(write(tmp_path, "")).screen.larger_text_font() == 48
    big = "[screen]\ndiagonal_inches = 24\nwidth_pixels = 1920\nheight_pixels = 1080\n"
    assert load_settings(write(tmp_path, big)).screen.larger_text_font() == 32
    given = "[screen]\nlarge_font_pixels = 40\n"
    assert load_settings(write(tmp_path, given)).screen.larger_text_font() == 40


def test_a_screen_of_no_size_names_its_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(write(tmp_path, "[screen]\ndiagonal_inches = 0\n"))
    (problem,) = raised.value.problems
    assert problem.line == 2 and "diagonal_inches" in problem.message

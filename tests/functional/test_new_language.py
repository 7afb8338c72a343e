"""Adding a language is a staff task: copy a folder, translate, run ``kiosk validate``.

A sixth language made that way gets clear ``file:line`` messages and warnings, never a
traceback, whatever the language (one with a reading-level formula or none, a script written
without spaces) and however far the translation has got.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.languages import MAX_SAME_AS_ENGLISH, drawing_warnings
from kiosk.content.model import load_library


def validate(site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--config", str(site / "kiosk.toml"), "validate", str(site / "content")])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.mark.parametrize("code", ["so", "tl", "ko", "uk", "pt-BR", "zh-Hant"])
def test_a_copy_of_spanish_validates(
    site: Path, capsys: pytest.CaptureFixture[str], code: str
) -> None:
    """The issue's case: a copy of content/es under a new name ended in textstat's KeyError."""
    shutil.copytree(site / "content" / "es", site / "content" / code)
    status, out, _ = validate(site, capsys)
    assert status == 0
    assert f"; {code}: 8 sections" in out or f": {code}: 8 sections" in out
    assert f"  {code}: not measured (" in out  # no formula for it, said once


def test_an_untranslated_copy_of_english_is_flagged(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(site / "content" / "en", site / "content" / "so")
    status, out, _ = validate(site, capsys)
    assert status == 0  # warnings, not errors: the kiosk can show it
    same = [line for line in out.splitlines() if "the same text as in English" in line]
    assert len(same) == MAX_SAME_AS_ENGLISH
    assert same[0].startswith(str(site / "content" / "so"))
    assert "more texts the same as in English: is this folder translated yet?" in out


def test_a_text_left_in_english_is_named_at_its_line(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ui = site / "content" / "vi" / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(text.replace("hide_button: Ẩn", "hide_button: Hide"), encoding="utf-8")
    line = next(n for n, row in enumerate(ui.read_text().splitlines(), 1) if "hide_button" in row)
    _, out, _ = validate(site, capsys)
    assert f"{ui}:{line}: WARNING: the same text as in English (ui.yaml:" in out


def test_missing_ids_and_files_are_errors_with_lines(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = site / "content" / "so"
    shutil.copytree(site / "content" / "es", folder)
    compare = folder / "compare.yaml"
    compare.write_text(
        compare.read_text(encoding="utf-8").replace("- id: smart\n", "- id: smart_recovery\n"),
        encoding="utf-8",
    )
    status, _, err = validate(site, capsys)
    assert status == 1
    assert f"{compare}:" in err
    assert "option 'smart' is missing in this language: translate it from" in err
    assert "option 'smart_recovery' is not in" in err
    (folder / "help.yaml").unlink()
    status, _, err = validate(site, capsys)
    assert status == 1
    assert f"{folder / 'help.yaml'}:1: file missing: every language needs help.yaml" in err


def test_wide_labels_and_colliding_keys(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ui = site / "content" / "zh-Hans" / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    text = text.replace("answer_not_sure: 不确定", "answer_not_sure: 我不太确定这个问题")
    text = text.replace("help_button: 马上求助", "help_button: 现在马上获得帮助热线")
    ui.write_text(text, encoding="utf-8")
    _, out, _ = validate(site, capsys)
    assert (
        "answer_not_sure '我不太确定这个问题' is 18 cells wide, and its button has room for 9"
        in out
    )
    assert "share the top bar: together they are 32 cells wide" in out
    # Keys: the same key twice, and one a US keyboard cannot type, are errors.
    ui.write_text(
        text.replace('answer_no_key: "N"', 'answer_no_key: "Y"').replace(
            'answer_not_sure_key: "?"', 'answer_not_sure_key: "不"'
        ),
        encoding="utf-8",
    )
    status, _, err = validate(site, capsys)
    assert status == 1
    assert "answer_no_key is 'Y', the same key as answer_yes_key" in err
    assert "answer_not_sure_key is '不', which a US keyboard cannot type" in err


def test_the_console_cannot_draw_chinese(site: Path) -> None:
    library = load_library(site / "content")
    warnings = [
        str(w) for w in drawing_warnings(library, ["kiosk.service"], codeset=lambda: "Lat15")
    ]
    assert any(
        "zh-Hans:1: WARNING: kiosk.service" in w and "cannot draw Chinese" in w for w in warnings
    )
    assert any("/vi:1:" in w and "CODESET=Lat15" in w and "Vietnamese" in w for w in warnings)
    assert any("/ru:1:" in w and "Cyrillic" in w for w in warnings)
    assert not any("/en:1:" in w or "/es:1:" in w for w in warnings)
    # The graphical launchers need fonts; with them, nothing to say.
    no_fonts = drawing_warnings(library, ["kiosk-cage.service"], font_for=lambda lang: False)
    assert any("apt-get install fonts-noto-cjk" in str(w) for w in no_fonts)
    assert drawing_warnings(library, ["kiosk-browser.service"], font_for=lambda lang: True) == []

"""The pure parts of the languages: their order and voices, reading levels where a formula
exists, where Chinese lines may break, and how option names are found in Chinese text."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import msgspec
import pytest
from rich._wrap import divide_line

from kiosk.config import ConfigError, KioskSettings, SpeechSettings, load_settings
from kiosk.content.languages import guide_warnings
from kiosk.content.model import ContentLibrary, load_library, options_named, term_pattern
from kiosk.content.readability import base_language, russian_ease, section_readings
from kiosk.rules.line_breaks import words
from kiosk.textual_internals import break_lines_between_cjk_characters
from tests.conftest import CONTENT_DIR


def test_the_list_follows_kiosk_toml_then_the_rest_by_name() -> None:
    kiosk = KioskSettings(languages=("ru", "en", "xx"))
    # Named first, then the rest as the content orders them (a site file's order, or by name).
    assert kiosk.language_order(["en", "es", "ru", "so", "vi"]) == ["ru", "en", "es", "so", "vi"]
    assert KioskSettings().language_order(["en", "es", "ru"]) == ["en", "es", "ru"]


def test_each_language_has_a_voice_and_kiosk_toml_may_change_it() -> None:
    speech = SpeechSettings()
    assert [speech.voice(code) for code in ("en", "es", "vi", "ru", "zh-Hans")] == [
        "en-us",
        "es-419",
        "vi",
        "ru",
        "cmn",
    ]
    assert speech.voice("pt-BR") == "pt"  # a new language: its own code
    assert SpeechSettings(voices={"zh-Hans": "yue"}).voice("zh-Hans") == "yue"


def test_a_bad_voice_or_language_code_is_a_plain_message(tmp_path: Path) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text('[kiosk]\nlanguages = ["en", "Viet nam"]\n[speech.voices]\nvi = "a b"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(file)
    messages = [str(problem) for problem in caught.value.problems]
    assert f"{file}:2: kiosk.languages[2] 'Viet nam' is not written as it should be" in messages[0]
    assert any(f"{file}:4: speech.voices.vi 'a b'" in message for message in messages)


def test_reading_levels_where_a_formula_exists(library: ContentLibrary) -> None:
    assert base_language("zh-Hans") == "zh" and base_language("pt_BR") == "pt"
    for language in ("vi", "zh-Hans"):
        readings = section_readings(library.get(language))
        assert readings and all(r.score is None and not r.too_hard for r in readings)
        assert "not measured" in str(readings[0])
    # A copy of Spanish under a language textstat has no rules for: not measured, no KeyError.
    somali = replace(library.get("es"), language="so")
    assert all(reading.score is None for reading in section_readings(somali))
    assert (
        russian_ease("Мама мыла раму.")
        > 80
        > russian_ease(
            "Высококвалифицированные специалисты осуществляют индивидуализированное сопровождение."
        )
    )


def test_chinese_breaks_between_characters_never_before_a_full_stop() -> None:
    text = "您的回答没有指向一个明确的方向，这没关系。工作人员可以和您一起看看。"
    pieces = [piece for _, _, piece in words(text)]
    assert "".join(pieces) == text
    assert "向，" in pieces and "系。" in pieces  # punctuation stays with its character
    assert all(piece[0] not in "，。、：" for piece in pieces)
    # Opening marks stay with what follows; Latin words stay whole.
    assert "“是”" in [p for _, _, p in words("几个“是”或“否”的问题")]
    assert [p for _, _, p in words("IOP 是什么")] == ["IOP ", "是", "什", "么"]


def test_spaced_scripts_break_as_before() -> None:
    for text in ("Hello  world, findtreatment.gov.", "Tiếng Việt có dấu", "Русский язык"):
        assert [p for _, _, p in words(text)] == text_split_like_rich(text)


def text_split_like_rich(text: str) -> list[str]:
    import re

    return [match.group(0) for match in re.finditer(r"\s*\S+\s*", text)]


def test_rich_now_fills_chinese_lines() -> None:
    break_lines_between_cjk_characters()
    # 10 cells = 5 characters a line; "IOP" does not sit alone on a line.
    offsets = divide_line("IOP 是什么、其他选择、怎样选择。", 10)
    assert offsets == [6, 11, 16]  # "IOP 是什" / "么、其他选" / "择、怎样选" / "择。"


def test_option_terms_are_found_in_chinese_without_spaces(library: ContentLibrary) -> None:
    options = library.get("zh-Hans").compare.options
    assert term_pattern("门诊").search("以前的门诊治疗")
    # The longest term wins: 强化门诊 is IOP, not outpatient; 部分住院 is PHP, not inpatient.
    assert options_named("IOP 和强化门诊", options) == {"iop"}
    assert options_named("部分住院和门诊", options) == {"php", "outpatient"}


def test_settings_are_strict_about_languages() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"languages": "en"}, KioskSettings, strict=True)


def test_preview_pictures_draw_chinese_two_cells_wide() -> None:
    """Rich's SVG squeezes a run of text into len(text) cells; the preview widens it."""
    from kiosk.tools.preview import wide_characters_drawn_wide

    svg = '<text class="r1" x="0" y="0" textLength="48.8" clip-path="c">选择语言</text>'
    assert 'textLength="97.6"' in wide_characters_drawn_wide(svg)
    latin = '<text class="r1" x="0" y="0" textLength="48.8">Back</text>'
    assert wide_characters_drawn_wide(latin) == latin


def test_cell_widths_agree_with_rich(library: ContentLibrary) -> None:
    """kiosk.rules.cells (pure, for kiosk validate) counts as Rich draws: every text shipped."""
    from rich.cells import cell_len

    from kiosk.content.languages import _all_text
    from kiosk.rules.cells import cell_width

    for content in library.languages.values():
        for text in _all_text(content):
            assert cell_width(text) == cell_len(text), text
    assert cell_width("中文") == 4 and cell_width("Tiếng Việt") == 10
    assert cell_width("Vie\u0323\u0302t") == 4  # decomposed: the marks take no cell


def test_every_language_has_its_own_audio_guide_phrases(library: ContentLibrary) -> None:
    # Vietnamese, Russian and Chinese had none: a blind visitor heard "Button", "Tab" and the
    # keys in English words, said by the Vietnamese, Russian or Chinese voice.
    assert guide_warnings(library) == []


def test_a_language_without_audio_guide_phrases_is_a_warning(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("sites", ".*"))
    ui = folder / "vi" / "ui.yaml"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(text[: text.index("\nguide:")] + "\n", encoding="utf-8")
    (warning,) = guide_warnings(load_library(folder))
    assert warning.file == ui
    assert "28 of the 28 audio-guide phrases are not translated" in warning.message
    assert "in the vi voice" in warning.message

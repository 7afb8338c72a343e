"""Content loading: the bundled content, immutable models, and one test per kind of mistake.

Every mistake test copies ``content/en`` into a temporary folder, makes one textual edit the way a
staff member would, and checks the exact ``file:line`` and a phrase that says how to fix it.
Line numbers are computed from the edited text, never hard-coded.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content.model import (
    ANSWERS,
    BulletList,
    ContentError,
    ContentLibrary,
    Value,
    load_content,
    load_library,
)
from kiosk.content.yamlsource import Problem
from tests.conftest import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "content"


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class ContentCopy:
    """A copy of one bundled language folder that tests edit line by line."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file(self, name: str) -> Path:
        return self.folder / name

    def text(self, name: str) -> str:
        return self.file(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        self.file(name).write_text(text, encoding="utf-8")

    def line_of(self, name: str, line: str, occurrence: int | None = None) -> int:
        """The 1-based number of the only line of ``name`` that is exactly ``line`` (or, with
        ``occurrence``, of that occurrence of it, counted from 0). ``line`` may span lines."""
        text = self.text(name)
        numbers = [
            text[: match.start()].count("\n") + 1
            for match in re.finditer(f"^{re.escape(line)}$", text, re.MULTILINE)
        ]
        if occurrence is not None:
            return numbers[occurrence]
        assert len(numbers) == 1, f"{line!r} is on lines {numbers} of {name}, expected once"
        return numbers[0]

    def replace_line(self, name: str, old: str, new: str, occurrence: int | None = None) -> int:
        """Replace the line ``old`` by ``new`` (one or more lines); return ``new``'s first line."""
        number = self.line_of(name, old, occurrence)
        lines = self.text(name).splitlines(keepends=True)
        lines[number - 1] = new if new.endswith("\n") else new + "\n"
        self.write(name, "".join(lines))
        return number

    def insert_after(self, name: str, anchor: str, new: str, occurrence: int | None = None) -> int:
        """Insert ``new`` (one or more lines) after the line ``anchor``; return its first line."""
        number = self.line_of(name, anchor, occurrence)
        lines = self.text(name).splitlines(keepends=True)
        lines.insert(number, new if new.endswith("\n") else new + "\n")
        self.write(name, "".join(lines))
        return number + 1

    def line_after(self, name: str, anchor: str, line: str) -> int:
        """The number of the first line that is exactly ``line`` below the line ``anchor``."""
        start = self.line_of(name, anchor)
        lines = self.text(name).splitlines()
        for number in range(start + 1, len(lines) + 1):
            if lines[number - 1] == line:
                return number
        raise AssertionError(f"no {line!r} below {anchor!r} in {name}")

    def delete_line(self, name: str, old: str, occurrence: int | None = None) -> int:
        """Delete the line ``old``; return the number it had."""
        number = self.line_of(name, old, occurrence)
        lines = self.text(name).splitlines(keepends=True)
        del lines[number - 1]
        self.write(name, "".join(lines))
        return number

    def replace_block(self, name: str, old: str, new: str) -> int:
        """Replace the text ``old`` (found exactly once) by ``new``; return the line it began on."""
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        start = text.index(old)
        self.write(name, text.replace(old, new))
        return text[:start].count("\n") + 1

    def problems(self) -> list[Problem]:
        """Load the folder, which must fail, and return every problem reported."""
        with pytest.raises(ContentError) as caught:
            load_content(self.folder)
        return caught.value.problems


@pytest.fixture
def en(tmp_path: Path) -> ContentCopy:
    """A private copy of ``content/en`` (as ``<tmp>/content/en``)."""
    folder = tmp_path / "content" / "en"
    shutil.copytree(CONTENT_DIR / "en", folder)
    return ContentCopy(folder)


def _show(problems: list[Problem]) -> str:
    return "\n".join(str(problem) for problem in problems) or "(no problems)"


def expect(problems: list[Problem], file: Path, line: int, *phrases: str) -> Problem:
    """The one problem reported for ``file:line`` whose message holds every phrase."""
    matches = [
        problem
        for problem in problems
        if problem.file == file
        and problem.line == line
        and all(phrase in problem.message for phrase in phrases)
    ]
    assert len(matches) == 1, f"expected {file.name}:{line}: {phrases} in:\n{_show(problems)}"
    problem = matches[0]
    # The printed form is what staff see in the terminal.
    assert str(problem).startswith(f"{file}:{line}: ")
    return problem


def expect_only(problems: list[Problem], file: Path, line: int, *phrases: str) -> Problem:
    """Like :func:`expect`, and that problem is the only one reported."""
    assert len(problems) == 1, f"expected one problem, got:\n{_show(problems)}"
    return expect(problems, file, line, *phrases)


# --------------------------------------------------------------------------------------------
# The bundled content
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fresh_library() -> ContentLibrary:
    """A library of this module's own, so that mutation attempts cannot leak into other tests."""
    return load_library(CONTENT_DIR)


def test_bundled_content_loads_in_every_language(fresh_library: ContentLibrary) -> None:
    assert list(fresh_library.languages) == LANGUAGES
    english, spanish = fresh_library.languages["en"], fresh_library.languages["es"]
    assert english.language == "en"
    assert spanish.language == "es"
    assert english.ui.language_name == "English"
    assert spanish.ui.language_name == "Español"
    for content in (english, spanish):
        assert content.learn.sections
        assert len(content.compare.options) >= 2
        assert content.selfcheck.questions
        assert content.selfcheck.rules[-1].when_any is None
        assert content.help.more_lines


def test_library_falls_back_to_english_for_an_unknown_language(
    fresh_library: ContentLibrary,
) -> None:
    assert fresh_library.get("es").language == "es"
    assert fresh_library.get("fr").language == "en"


def test_loaded_values_are_typed(fresh_library: ContentLibrary) -> None:
    content = fresh_library.get("en")
    row_ids = [row.id for row in content.compare.rows]
    for option in content.compare.options:
        assert list(option.values) == row_ids
        assert all(isinstance(value, Value) for value in option.values.values())
    for rule in content.selfcheck.rules[:-1]:
        assert rule.when_any is not None
        for answers in rule.when_any.values():
            assert isinstance(answers, tuple)
            assert set(answers) <= set(ANSWERS)
    # "yes", "no" and "not_sure" stay words: YAML 1.1 would have made yes/no booleans.
    first_rule = content.selfcheck.rules[0]
    assert first_rule.when_any == {"withdrawal": ("yes", "not_sure")}
    assert any(isinstance(block, BulletList) for s in content.learn.sections for block in s.blocks)
    assert content.help.bar_text.startswith(f"Call {content.help.clinic_phone}")


def test_models_cannot_be_changed(fresh_library: ContentLibrary) -> None:
    content = fresh_library.get("en")
    section = content.learn.sections[0]
    option = content.compare.options[0]
    question = content.selfcheck.questions[0]
    with pytest.raises(AttributeError, match="immutable"):
        content.ui.back_button = "Changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        section.title = "Changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        option.values["hours"].text = "Changed"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        content.selfcheck.rules[0].at_least = 5  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        question.talk_over = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        content.ui = content.ui  # type: ignore[misc]
    # Lists are tuples.
    assert isinstance(content.learn.sections, tuple)
    assert isinstance(section.blocks, tuple)
    assert isinstance(option.pros, tuple)
    with pytest.raises(TypeError):
        content.compare.options[0] = option  # type: ignore[index]
    assert section.title != "Changed"
    assert content.ui.back_button != "Changed"


def test_mappings_in_models_cannot_be_changed(fresh_library: ContentLibrary) -> None:
    content = fresh_library.get("en")
    option = content.compare.options[0]
    question = content.selfcheck.questions[1]
    rule = content.selfcheck.rules[0]
    assert rule.when_any is not None
    row_count = len(option.values)
    with pytest.raises(TypeError):
        option.values["hours"] = option.values["cost"]  # type: ignore[index]
    with pytest.raises(TypeError):
        option.values["new_row"] = option.values["cost"]  # type: ignore[index]
    with pytest.raises(TypeError):
        del option.values["hours"]  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        question.talk_over["no"] = "Changed"  # type: ignore[index]
    with pytest.raises(TypeError):
        rule.reasons["withdrawal"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        rule.when_any["withdrawal"] = ("no",)  # type: ignore[index]
    with pytest.raises(AttributeError):
        rule.when_any.clear()  # type: ignore[attr-defined]
    assert len(option.values) == row_count
    assert "no" not in question.talk_over
    assert rule.when_any["withdrawal"] == ("yes", "not_sure")


# --------------------------------------------------------------------------------------------
# Reading the files
# --------------------------------------------------------------------------------------------


def test_unedited_copy_loads(en: ContentCopy) -> None:
    """The helper's copy is good content, so every failure below comes from its edit alone."""
    assert load_content(en.folder).language == "en"


def test_yaml_bad_indentation(en: ContentCopy) -> None:
    line = en.replace_line("help.yaml", "    name: Emergency", "      name: Emergency")
    problem = expect_only(en.problems(), en.file("help.yaml"), line, "YAML syntax error")
    assert "indentation" in problem.message


def test_yaml_value_with_a_colon(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", "back_button: Back", "back_button: Back: go back")
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "YAML syntax error")
    assert "quotes" in problem.message


def test_yaml_unclosed_quote_is_reported_next_to_it(en: ContentCopy) -> None:
    """YAML notices a missing closing quote where the runaway text ends: the next quote.

    Here that is the very next line, and the message says to look at the line above too.
    """
    line = en.replace_line("ui.yaml", 'answer_yes: "Yes"', 'answer_yes: "Yes')
    assert en.line_of("ui.yaml", 'answer_no: "No"') == line + 1
    problem = expect_only(en.problems(), en.file("ui.yaml"), line + 1, "YAML syntax error")
    assert "the quotes on this line and the one above it" in problem.message


def test_yaml_unclosed_quote_running_to_the_end_of_the_file(en: ContentCopy) -> None:
    line = en.replace_line(
        "selfcheck.yaml",
        "    text: Did you just finish detox, or a stay in inpatient or residential care?",
        '    text: "Did you just finish detox, or a stay in inpatient or residential care?',
    )
    # No double quote follows in selfcheck.yaml, so the string never ends.
    assert '"' not in "".join(en.text("selfcheck.yaml").splitlines(keepends=True)[line:])
    expect_only(en.problems(), en.file("selfcheck.yaml"), line, "quote")


def test_yaml_tab_used_for_indentation(en: ContentCopy) -> None:
    line = en.replace_line("help.yaml", "    name: Emergency", "\tname: Emergency")
    expect_only(en.problems(), en.file("help.yaml"), line, "YAML syntax error", "tab character")


def test_empty_file(en: ContentCopy) -> None:
    en.write("help.yaml", "")
    expect_only(en.problems(), en.file("help.yaml"), 1, "the file is empty")


def test_file_with_only_comments_is_empty(en: ContentCopy) -> None:
    en.write("learn.yaml", "# sections: to do\n")
    expect_only(en.problems(), en.file("learn.yaml"), 1, "the file is empty")


def test_missing_file(en: ContentCopy) -> None:
    en.file("compare.yaml").unlink()
    expect_only(en.problems(), en.file("compare.yaml"), 1, "file missing", "compare.yaml")


def test_file_that_is_not_utf8(en: ContentCopy) -> None:
    en.file("ui.yaml").write_bytes("back_button: Atr\xe1s\n".encode("latin-1"))
    expect_only(en.problems(), en.file("ui.yaml"), 1, "UTF-8")


def test_hidden_control_character(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", "back_button: Back", "back_button: Ba\x07ck")
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "hidden character", "U+0007")
    assert "delete it" in problem.message


def test_file_that_is_a_list_instead_of_key_value_lines(en: ContentCopy) -> None:
    en.write("help.yaml", "- clinic_name: Northpoint Evergreen\n")
    expect_only(en.problems(), en.file("help.yaml"), 1, "block of 'key: value' lines")


def test_duplicate_key_in_one_mapping(en: ContentCopy) -> None:
    line = en.insert_after("ui.yaml", "home_button: Home", "back_button: Go back")
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "'back_button'", "twice")
    assert "keep only one" in problem.message


def test_duplicate_key_in_a_nested_mapping(en: ContentCopy) -> None:
    line = en.insert_after("help.yaml", "    name: Emergency", "    name: Emergency services")
    expect_only(en.problems(), en.file("help.yaml"), line, "'name' appears twice")


# --------------------------------------------------------------------------------------------
# Schema mistakes
# --------------------------------------------------------------------------------------------


def test_missing_required_top_level_key(en: ContentCopy) -> None:
    en.delete_line("help.yaml", "clinic_hours: 24/7")
    first_key = en.line_of("help.yaml", "clinic_name: Northpoint Evergreen")
    problem = expect_only(en.problems(), en.file("help.yaml"), first_key, "'clinic_hours'")
    assert "missing" in problem.message
    assert "add it" in problem.message


def test_missing_required_key_in_a_list_item(en: ContentCopy) -> None:
    item = en.line_of("help.yaml", '  - number: "911"')
    en.delete_line("help.yaml", "    name: Emergency")
    problem = expect_only(en.problems(), en.file("help.yaml"), item, "'name' is missing")
    assert "more_lines[2]" in problem.message


def test_unknown_key_lists_the_allowed_keys(en: ContentCopy) -> None:
    line = en.insert_after("help.yaml", "clinic_hours: 24/7", "clinic_email: desk@example.org")
    problem = expect_only(en.problems(), en.file("help.yaml"), line, "unknown key 'clinic_email'")
    assert "clinic_name, clinic_phone, clinic_hours, clinic_detail, bar, more_lines" in (
        problem.message
    )


def test_unknown_key_in_a_nested_model_lists_that_models_keys(en: ContentCopy) -> None:
    line = en.insert_after("help.yaml", "    name: Emergency", "    nmae: Emergency")
    problem = expect_only(en.problems(), en.file("help.yaml"), line, "unknown key 'nmae'")
    assert "allowed here: number, name, detail" in problem.message


def test_unknown_key_in_a_learn_list_block(en: ContentCopy) -> None:
    line = en.insert_after("learn.yaml", "      - heading: Your choices", "        colour: red")
    problems = en.problems()
    problem = expect(problems, en.file("learn.yaml"), line, "unknown key 'colour'")
    assert "allowed here: heading, points" in problem.message


def test_unknown_key_with_a_capital_letter(en: ContentCopy) -> None:
    line = en.replace_line("learn.yaml", "    title: Dual diagnosis", "    Title: Dual diagnosis")
    problems = en.problems()
    expect(problems, en.file("learn.yaml"), line, "unknown key 'Title'")


def test_unknown_key_starting_with_str(en: ContentCopy) -> None:
    line = en.insert_after("help.yaml", "clinic_hours: 24/7", "street: 1 Main St")
    expect_only(en.problems(), en.file("help.yaml"), line, "unknown key 'street'")


def test_list_where_text_is_expected(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml",
        "clinic_name: Northpoint Evergreen",
        "clinic_name:\n  - Northpoint\n  - Evergreen",
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "clinic_name should be some text")


def test_wrong_type_message_does_not_say_empty(en: ContentCopy) -> None:
    line = en.replace_line("help.yaml", '  - number: "988"', "  - number: 988")
    problem = expect_only(en.problems(), en.file("help.yaml"), line, "more_lines[1].number")
    assert "empty" not in problem.message
    assert "quote" in problem.message


def test_text_where_a_list_is_expected(en: ContentCopy) -> None:
    line = en.replace_block(
        "compare.yaml",
        "    pros:\n"
        "      - text: The easiest kind of treatment to fit into your week.\n"
        "        source: article\n"
        "      - text: You live at home and keep your daily routine.\n"
        "        source: article\n"
        "      - text: Most medicine for opioid use is given in outpatient care.\n"
        "        source: tip63\n",
        "    pros: The easiest kind of treatment to fit into your week.\n",
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "options[2].pros")
    assert "should be a list (lines starting with '- ')" in problem.message


def test_text_where_a_mapping_is_expected(en: ContentCopy) -> None:
    line = en.replace_block(
        "selfcheck.yaml",
        "    when_any:\n      withdrawal: [yes, not_sure]\n",
        "    when_any: withdrawal\n",
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), line, "rules[1].when_any")
    assert "block of 'key: value' lines" in problem.message


def test_text_where_a_whole_number_is_expected(en: ContentCopy) -> None:
    line = en.insert_after("selfcheck.yaml", "      cost_worries: [yes]", "    at_least: one")
    expect_only(en.problems(), en.file("selfcheck.yaml"), line, "at_least should be a whole number")


def test_empty_string(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", "back_button: Back", 'back_button: ""')
    expect_only(en.problems(), en.file("ui.yaml"), line, "back_button", "not left empty")


def test_value_left_blank(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", "back_button: Back", "back_button:")
    expect_only(en.problems(), en.file("ui.yaml"), line, "back_button", "not left empty")


def test_only_spaces_count_as_empty(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", "home_button: Home", 'home_button: "   "')
    expect_only(en.problems(), en.file("ui.yaml"), line, "home_button", "not left empty")


def test_empty_list(en: ContentCopy) -> None:
    line = en.replace_block(
        "help.yaml",
        en.text("help.yaml")[en.text("help.yaml").index("more_lines:") :],
        "more_lines: []\n",
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "more_lines needs at least 1 entries")


def test_invalid_id(en: ContentCopy) -> None:
    line = en.replace_line("learn.yaml", "  - id: dual_diagnosis", "  - id: Dual-Diagnosis")
    problem = expect_only(en.problems(), en.file("learn.yaml"), line, "'Dual-Diagnosis'")
    assert "not a valid id" in problem.message
    assert "lower-case letters, digits and underscores" in problem.message


def test_bad_answer_literal_in_a_rule(en: ContentCopy) -> None:
    line = en.replace_line(
        "selfcheck.yaml", "      withdrawal: [yes, not_sure]", "      withdrawal: [yes, maybe]"
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), line, "'maybe'")
    assert "'yes', 'no' or 'not_sure'" in problem.message


def test_bad_answer_in_a_talk_over_line(en: ContentCopy) -> None:
    talk_yes = en.line_after("selfcheck.yaml", "  - id: outpatient_before", "      yes: >-")
    en.replace_block(
        "selfcheck.yaml",
        "    talk_over:\n      yes: >-\n        You said outpatient",
        "    talk_over:\n      maybe: >-\n        You said outpatient",
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), talk_yes, "'maybe'")
    assert "'yes', 'no' or 'not_sure'" in problem.message


def test_bad_mark_in_a_comparison_value(en: ContentCopy) -> None:
    line = en.replace_line(
        "compare.yaml",
        '      cost: {mark: info, text: "More than IOP", source: article}',
        '      cost: {mark: cheap, text: "More than IOP", source: article}',
        occurrence=1,
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "'cheap'")
    assert "'yes', 'no', 'partly', 'info' or 'depends'" in problem.message


def test_too_long_tab_title(en: ContentCopy) -> None:
    line = en.replace_line(
        "learn.yaml", "    title: Other options", "    title: Other treatment options"
    )
    problem = expect_only(en.problems(), en.file("learn.yaml"), line, "sections[2].title")
    assert "too long" in problem.message
    assert "16 characters" in problem.message


def test_tab_title_of_exactly_sixteen_characters_is_fine(en: ContentCopy) -> None:
    en.replace_line("learn.yaml", "    title: Other options", f"    title: {'x' * 16}")
    assert load_content(en.folder).learn.sections[1].title == "x" * 16


# --------------------------------------------------------------------------------------------
# Cross-checks
# --------------------------------------------------------------------------------------------


def test_rule_naming_a_question_that_does_not_exist(en: ContentCopy) -> None:
    line = en.replace_line("selfcheck.yaml", "      cost_worries: [yes]", "      cost_worry: [yes]")
    problems = en.problems()
    problem = expect(problems, en.file("selfcheck.yaml"), line, "'cost_worry'")
    assert "does not exist" in problem.message
    assert "use one of withdrawal, outpatient_before" in problem.message
    # The rule's reason for the real question can now never show: said too, nothing more.
    reason = en.line_after("selfcheck.yaml", "  - id: fits_daily_life", "      cost_worries:") + 1
    expect(problems, en.file("selfcheck.yaml"), reason, "its when_any does not count that answer")
    assert len(problems) == 2


def test_rule_naming_a_result_that_does_not_exist(en: ContentCopy) -> None:
    line = en.replace_line("selfcheck.yaml", "    result: more_support", "    result: more_suport")
    problems = en.problems()
    problem = expect(problems, en.file("selfcheck.yaml"), line, "'more_suport'", "does not exist")
    assert (
        "use one of medical_first, step_down, more_support, iop_fit, talk_it_through"
        in problem.message
    )
    # The result the rule meant to name is now unused, and that is reported too.
    unused = en.line_of("selfcheck.yaml", "  - id: more_support", occurrence=0)
    expect(problems, en.file("selfcheck.yaml"), unused, "'more_support' is not named by any rule")
    assert len(problems) == 2


@pytest.mark.parametrize(
    ("name", "first", "second", "kind"),
    [
        ("learn.yaml", "  - id: other_options", "  - id: dual_diagnosis", "section"),
        ("compare.yaml", "  - id: php", "  - id: smart", "option"),
        ("compare.yaml", "  - id: hours", "  - id: cost", "row"),
        ("selfcheck.yaml", "  - id: keep_working", "  - id: finished_inpatient", "question"),
        ("selfcheck.yaml", "  - id: iop_fit", "  - id: talk_it_through", "result"),
        ("selfcheck.yaml", "  - id: home_unsure", "  - id: fits_daily_life", "rule"),
        ("sources.yaml", "  - id: tip45", "  - id: tip63", "source"),
    ],
)
def test_duplicate_id_names_the_line_of_its_first_use(
    en: ContentCopy, name: str, first: str, second: str, kind: str
) -> None:
    first_line = en.line_of(name, first)
    line = en.replace_line(name, second, first)
    duplicated = first.split("id: ")[1]
    problems = en.problems()
    problem = expect(
        problems,
        en.file(name),
        line,
        f"duplicate {kind} id '{duplicated}'",
        f"(first used on line {first_line})",
    )
    assert "give each one its own id" in problem.message


def test_comparison_value_for_an_unknown_row(en: ContentCopy) -> None:
    line = en.insert_after(
        "compare.yaml",
        "      cost: {mark: depends, source: samhsa_quality}",
        '      price: {mark: info, text: "Low", source: article}',
        occurrence=0,
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "row 'price'")
    assert "option 'outpatient'" in problem.message
    assert "which is not in rows: use one of hours, lives_at_home" in problem.message


def test_comparison_option_missing_a_row_value(en: ContentCopy) -> None:
    en.delete_line(
        "compare.yaml", "      cost: {mark: depends, source: samhsa_quality}", occurrence=0
    )
    values = en.line_after("compare.yaml", "  - id: outpatient", "    values:")
    problem = expect_only(en.problems(), en.file("compare.yaml"), values, "option 'outpatient'")
    assert "no value for row(s) cost" in problem.message
    assert "every option needs a value for every row" in problem.message


def test_unequal_pros_and_cons(en: ContentCopy) -> None:
    en.replace_block(
        "compare.yaml",
        "      - text: Most medicine for opioid use is given in outpatient care.\n"
        "        source: tip63\n",
        "",
    )
    cons = en.line_after("compare.yaml", "  - id: outpatient", "    cons:")
    problem = expect_only(en.problems(), en.file("compare.yaml"), cons, "'outpatient'")
    assert "2 pros and 3 cons" in problem.message
    assert "same number of each" in problem.message


def test_fallback_rule_that_is_not_last(en: ContentCopy) -> None:
    fallback = en.line_of("selfcheck.yaml", "  - id: no_clear_way")
    extra = en.insert_after(
        "selfcheck.yaml",
        "    reason: Your answers did not point to one kind of care.",
        "  - id: late\n    result: iop_fit\n    when_any:\n      keep_working: [no]\n"
        "    reasons:\n      keep_working:\n        no: You said no.",
    )
    problems = en.problems()
    problem = expect(
        problems, en.file("selfcheck.yaml"), fallback, "rule 'no_clear_way' has no when_any"
    )
    assert "move it to the end" in problem.message
    # And the rule that is now last has conditions.
    expect(problems, en.file("selfcheck.yaml"), extra, "the last rule must have no when_any")
    assert len(problems) == 2


def test_last_rule_with_conditions(en: ContentCopy) -> None:
    line = en.line_of("selfcheck.yaml", "  - id: no_clear_way")
    en.replace_line(
        "selfcheck.yaml",
        "    reason: Your answers did not point to one kind of care.",
        "    when_any:\n      keep_working: [no]\n"
        "    reasons:\n      keep_working:\n        no: You said no.",
    )
    problem = expect_only(
        en.problems(), en.file("selfcheck.yaml"), line, "the last rule must have no when_any"
    )
    assert "add a last rule with only 'id:', 'result:' and 'reason:'" in problem.message


def test_rule_needing_more_matches_than_it_lists(en: ContentCopy) -> None:
    line = en.insert_after("selfcheck.yaml", "      cost_worries: [yes]", "    at_least: 5")
    problem = expect_only(
        en.problems(), en.file("selfcheck.yaml"), line, "rule 'fits_daily_life' needs 5 matches"
    )
    assert "lists only 2 question(s)" in problem.message


def test_result_that_no_rule_uses(en: ContentCopy) -> None:
    en.replace_line("selfcheck.yaml", "    result: iop_fit", "    result: talk_it_through")
    result = en.line_of("selfcheck.yaml", "  - id: iop_fit")
    problems = en.problems()
    problem = expect(problems, en.file("selfcheck.yaml"), result, "'iop_fit'")
    assert "is not named by any rule" in problem.message
    assert "add a rule for it or remove it" in problem.message


def test_unknown_placeholder_in_ui(en: ContentCopy) -> None:
    line = en.replace_line(
        "ui.yaml",
        "help_intro: If you need help now, you can call one of these lines.",
        "help_intro: If you need help now, call {phone}.",
    )
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "help_intro", "{phone}")
    assert "cannot use any {…} placeholders" in problem.message


def test_misspelt_placeholder_in_question_counter(en: ContentCopy) -> None:
    line = en.replace_line(
        "ui.yaml",
        'question_counter: "Question {number} of {total}"',
        'question_counter: "Question {num} of {total}"',
    )
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "question_counter", "{num}")
    assert "only {number}, {total} can be used here" in problem.message


def test_unknown_placeholder_in_help_bar(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml",
        'bar: "Call {phone} · {hours} · or ask the front desk"',
        'bar: "Call {phone} · {hour} · or ask the front desk"',
    )
    problem = expect_only(en.problems(), en.file("help.yaml"), line, "bar", "{hour}")
    assert "only {hours}, {phone} can be used here" in problem.message


def test_unmatched_brace(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml",
        'bar: "Call {phone} · {hours} · or ask the front desk"',
        'bar: "Call {phone · {hours} · or ask the front desk"',
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "bar has an unmatched '{' or '}'")


# --------------------------------------------------------------------------------------------
# Every mistake at once
# --------------------------------------------------------------------------------------------


def test_every_mistake_in_every_file_is_reported_at_once_sorted(en: ContentCopy) -> None:
    # Edits are made in an order that differs from the sorted order on purpose.
    unknown_question = en.replace_line(
        "selfcheck.yaml", "      withdrawal: [yes, not_sure]", "      withdrawal: [yes, maybe]"
    )
    long_title = en.replace_line(
        "learn.yaml", "    title: Other options", "    title: Other treatment options"
    )
    bad_id = en.replace_line("learn.yaml", "  - id: dual_diagnosis", "  - id: Dual-Diagnosis")
    empty_label = en.replace_line("ui.yaml", "back_button: Back", 'back_button: ""')
    yaml_error = en.replace_line("compare.yaml", "    name: SMART Recovery", "      name: SMART")
    unknown_key = en.insert_after("help.yaml", "clinic_hours: 24/7", "clinic_email: x@example.org")

    with pytest.raises(ContentError) as caught:
        load_content(en.folder)
    problems = caught.value.problems

    expected = [
        ("compare.yaml", yaml_error, "YAML syntax error"),
        ("help.yaml", unknown_key, "unknown key 'clinic_email'"),
        ("learn.yaml", long_title, "too long"),
        ("learn.yaml", bad_id, "not a valid id"),
        ("selfcheck.yaml", unknown_question, "'maybe'"),
        ("ui.yaml", empty_label, "not left empty"),
    ]
    assert [(p.file.name, p.line) for p in problems] == [(n, line) for n, line, _ in expected]
    for problem, (name, _line, phrase) in zip(problems, expected, strict=True):
        assert problem.file == en.file(name)
        assert phrase in problem.message, str(problem)
    # The exception's text is every problem, one per line, ready to print.
    assert str(caught.value).splitlines() == [str(problem) for problem in problems]


def test_mistakes_in_two_languages_are_reported_together(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    english, spanish = ContentCopy(folder / "en"), ContentCopy(folder / "es")
    en_line = english.replace_line("ui.yaml", "back_button: Back", 'back_button: ""')
    hours = next(line for line in spanish.text("help.yaml").splitlines() if "clinic_hours:" in line)
    es_line = spanish.replace_line(
        "help.yaml", hours, hours.replace("clinic_hours", "clinic_horas")
    )
    with pytest.raises(ContentError) as caught:
        load_library(folder)
    problems = caught.value.problems
    expect(problems, english.file("ui.yaml"), en_line, "back_button")
    expect(problems, spanish.file("help.yaml"), es_line, "unknown key 'clinic_horas'")


def test_missing_content_folder(tmp_path: Path) -> None:
    folder = tmp_path / "nowhere"
    with pytest.raises(ContentError) as caught:
        load_library(folder)
    expect_only(caught.value.problems, folder, 1, "content folder not found")


def test_content_folder_without_languages(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path)
    expect_only(caught.value.problems, tmp_path, 1, "no language folders found")


# --------------------------------------------------------------------------------------------
# The decision-aid checks: answer keys, reasons, not sure, sources, balance
# --------------------------------------------------------------------------------------------


def test_answer_keys_that_collide_are_refused(en: ContentCopy) -> None:
    """The Spanish fault this check is for: S for Sí, and S for No sé too."""
    line = en.replace_line("ui.yaml", 'answer_not_sure_key: "S"', 'answer_not_sure_key: "y"')
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, "answer_not_sure_key is 'Y'")
    assert "the same key as answer_yes_key" in problem.message
    assert "upper and lower case" in problem.message


@pytest.mark.parametrize("key", ["h", "X", "1", "r", "3"])
def test_an_answer_key_the_kiosk_already_uses_is_refused(en: ContentCopy, key: str) -> None:
    line = en.replace_line("ui.yaml", 'answer_no_key: "N"', f'answer_no_key: "{key}"')
    problem = expect_only(en.problems(), en.file("ui.yaml"), line, f"'{key.upper()}'")
    assert "which the kiosk already uses on every screen" in problem.message
    assert "Escape, F1, F12" in problem.message


def test_an_answer_key_is_one_character(en: ContentCopy) -> None:
    line = en.replace_line("ui.yaml", 'answer_yes_key: "Y"', 'answer_yes_key: "Yes"')
    expect_only(en.problems(), en.file("ui.yaml"), line, "answer_yes_key", "1 characters")


def test_a_reason_arguing_for_another_result_is_refused(en: ContentCopy) -> None:
    """The fault the issue found: "IOP lets you do that" under "talk to medical staff"."""
    line = en.replace_block(
        "selfcheck.yaml",
        "          Stopping some of these all at once can be dangerous.\n",
        "          Stopping some of these all at once can be dangerous. IOP lets you work.\n",
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), line - 2, "names IOP")
    assert "rule 'dangerous_withdrawal' picks 'medical_first'" in problem.message
    assert "points to Detox, Inpatient" in problem.message
    assert "a reason may argue only for its own result" in problem.message


def test_moving_a_rule_to_another_result_is_refused_while_its_reasons_argue_for_iop(
    en: ContentCopy,
) -> None:
    line = en.replace_line("selfcheck.yaml", "    result: iop_fit", "    result: more_support")
    problems = en.problems()
    for reason in ("      keep_working:", "      cost_worries:"):
        where = en.line_after("selfcheck.yaml", "  - id: fits_daily_life", reason) + 1
        expect(problems, en.file("selfcheck.yaml"), where, "names IOP, Outpatient", "PHP, Resid")
    assert line < where


def test_a_talk_over_line_must_be_neutral(en: ContentCopy) -> None:
    line = en.replace_block(
        "selfcheck.yaml",
        "        You said you are worried about cost or insurance. Staff can check what your\n"
        "        insurance covers.\n",
        "        You said you are worried about cost or insurance. IOP often costs less.\n",
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), line - 1, "names IOP")
    assert "a thing to talk over is shown under any result, so it must be neutral" in (
        problem.message
    )


def test_a_line_may_name_what_its_question_asked_about(en: ContentCopy) -> None:
    """Repeating the visitor's answer argues for nothing: the finished-detox lines name detox
    and inpatient care, which their question names too, and load."""
    content = load_content(en.folder)
    question = content.selfcheck.question("finished_inpatient")
    assert "detox" in question.talk_over["yes"] and "inpatient" in question.talk_over["yes"]


def test_a_counted_answer_without_a_reason_is_refused(en: ContentCopy) -> None:
    line = en.replace_line(
        "selfcheck.yaml",
        "      outpatient_before: [yes]",
        "      outpatient_before: [yes, not_sure]",
    )
    rule = en.line_of("selfcheck.yaml", "  - id: more_support", occurrence=1)
    reasons = rule + en.text("selfcheck.yaml").splitlines()[rule:].index("    reasons:") + 1
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), reasons, "not_sure")
    assert "counts the answer not_sure to 'outpatient_before' but has no reason" in problem.message
    assert line < reasons


def test_the_last_rule_needs_its_reason(en: ContentCopy) -> None:
    en.delete_line("selfcheck.yaml", "    reason: Your answers did not point to one kind of care.")
    rule = en.line_of("selfcheck.yaml", "  - id: no_clear_way")
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), rule, "has no reason")
    assert "'Why we suggest this'" in problem.message


def test_a_rule_with_conditions_cannot_have_one_reason_for_all(en: ContentCopy) -> None:
    line = en.insert_after("selfcheck.yaml", "      cost_worries: [yes]", "    reason: Because.")
    expect_only(en.problems(), en.file("selfcheck.yaml"), line, "move this line under")


def test_a_not_sure_without_a_line_is_refused(en: ContentCopy) -> None:
    """A Not sure that does not decide must be listed to talk over: never silently a No."""
    en.replace_block(
        "selfcheck.yaml",
        "      not_sure: >-\n"
        "        You were not sure about cost or insurance. Staff can check what your insurance\n"
        "        covers.\n",
        "",
    )
    question = en.line_of("selfcheck.yaml", "  - id: cost_worries")
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), question, "'cost_worries'")
    assert "has no talk_over line for not_sure" in problem.message
    assert "never silently a No" in problem.message


def test_not_sure_that_always_decides_needs_no_line(en: ContentCopy) -> None:
    """The first rule counts not sure about withdrawal: it always decides, so no line."""
    content = load_content(en.folder)
    assert "not_sure" not in content.selfcheck.question("withdrawal").talk_over


def test_a_result_pointing_to_an_unknown_option_is_refused(en: ContentCopy) -> None:
    line = en.replace_line(
        "selfcheck.yaml", "    points_to: [detox, inpatient]", "    points_to: [detox, hospital]"
    )
    problem = expect_only(en.problems(), en.file("selfcheck.yaml"), line, "'hospital'")
    assert "not an option in compare.yaml: use one of iop, outpatient" in problem.message


def test_a_value_without_a_source_is_refused(en: ContentCopy) -> None:
    line = en.replace_line(
        "compare.yaml",
        '      lives_at_home: {mark: yes, text: "Yes", source: article}',
        '      lives_at_home: {mark: yes, text: "Yes"}',
        occurrence=0,
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "'source' is missing")
    assert "options[1].values.lives_at_home" in problem.message


def test_a_pro_without_a_source_is_refused(en: ContentCopy) -> None:
    line = en.replace_block(
        "compare.yaml",
        "      - text: You sleep at home every night.\n        source: article\n",
        "      - text: You sleep at home every night.\n",
    )
    expect_only(en.problems(), en.file("compare.yaml"), line, "'source' is missing")


def test_a_source_that_is_not_listed_is_refused(en: ContentCopy) -> None:
    line = en.replace_line(
        "compare.yaml",
        '      medical_24_7: {mark: no, text: "Staff 24/7; doctors on call", source: asam}',
        '      medical_24_7: {mark: no, text: "Staff 24/7; doctors on call", source: wikipedia}',
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "cites 'wikipedia'")
    assert "not in sources.yaml: use one of article, asam" in problem.message


def test_depends_is_said_one_way_for_every_option(en: ContentCopy) -> None:
    line = en.replace_line(
        "compare.yaml",
        "      medication_support: {mark: depends, source: [asam, tip63]}",
        '      medication_support: {mark: depends, text: "Often, ask", source: [asam, tip63]}',
        occurrence=0,
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "marked depends")
    assert "remove the text" in problem.message


def test_a_value_needs_words_unless_it_depends(en: ContentCopy) -> None:
    line = en.replace_line(
        "compare.yaml",
        '      lives_at_home: {mark: yes, text: "Yes", source: article}',
        "      lives_at_home: {mark: yes, source: article}",
        occurrence=0,
    )
    problem = expect_only(en.problems(), en.file("compare.yaml"), line, "has no text")
    assert "mark: depends" in problem.message


def test_pros_much_longer_than_cons_are_refused(en: ContentCopy) -> None:
    en.replace_line(
        "compare.yaml",
        "      - text: You sleep at home every night.",
        "      - text: You sleep at home every night, in your own bed, with your own family"
        " and friends close by, and your own routine.",
    )
    pros = en.line_after("compare.yaml", "  - id: php", "    pros:")
    problem = expect_only(en.problems(), en.file("compare.yaml"), pros, "option 'php' has")
    assert "shorten the pros or add to the others" in problem.message
    assert "12 characters or 20%" in problem.message


def test_pros_and_cons_of_the_bundled_options_are_close_in_length(
    fresh_library: ContentLibrary,
) -> None:
    from kiosk.content.model import lengths_balanced, text_length

    for content in fresh_library.languages.values():
        for option in content.compare.options:
            assert len(option.pros) == len(option.cons)
            assert lengths_balanced(text_length(option.pros), text_length(option.cons))


def test_a_review_date_that_is_not_a_date_is_refused(en: ContentCopy) -> None:
    line = en.replace_line("sources.yaml", '  date: "2026-12-01"', '  date: "2026-13-01"')
    problem = expect_only(en.problems(), en.file("sources.yaml"), line, "is not a date")
    assert 'e.g. "2026-12-01"' in problem.message


def test_a_review_date_without_quotes_says_to_add_them(en: ContentCopy) -> None:
    line = en.replace_line("sources.yaml", '  date: "2026-12-01"', "  date: 2026-12-01")
    problem = expect_only(en.problems(), en.file("sources.yaml"), line, "reviewed.date")
    assert "put it in quotes" in problem.message


def test_a_source_missing_in_a_language_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    spanish = ContentCopy(folder / "es")
    spanish.replace_block(
        "sources.yaml",
        spanish.text("sources.yaml")[spanish.text("sources.yaml").index("  - id: smart") :],
        "",
    )
    with pytest.raises(ContentError) as caught:
        load_library(folder)
    messages = "\n".join(str(p) for p in caught.value.problems)
    assert "cites 'smart', which is not in sources.yaml" in messages


def test_loading_the_content_leaves_memory_sound() -> None:
    """msgspec 0.22.0 corrupts memory converting a union whose text has a pattern (the first
    form of ``source:``); the kiosk then crashed in the garbage collector, now and then. With
    Python's debug allocator any such corruption is caught at once."""
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc\nfrom pathlib import Path\nfrom kiosk.content.model import load_library\n"
            f"load_library(Path({str(CONTENT_DIR)!r}))\ngc.collect()\nprint('ok')",
        ],
        env={**os.environ, "PYTHONMALLOC": "debug", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0 and completed.stdout == "ok\n", completed.stderr[-2000:]


def test_sources_have_the_same_ids_in_every_language(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    spanish = ContentCopy(folder / "es")
    line = spanish.insert_after(
        "sources.yaml", "sources:", "  - id: folleto\n    title: Un folleto de la clínica"
    )
    with pytest.raises(ContentError) as caught:
        load_library(folder)
    problem = expect_only(caught.value.problems, spanish.file("sources.yaml"), line, "'folleto'")
    assert "source 'folleto' is not in" in problem.message

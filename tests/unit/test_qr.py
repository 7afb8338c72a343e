"""The QR code module (``kiosk/rules/qr.py``, no Textual) and the checks of staff's QR targets."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import segno

from kiosk.rules.qr import (
    MAX_DRAWING_HEIGHT,
    MAX_DRAWING_WIDTH,
    MAX_TARGET_LENGTH,
    QUIET_ZONE,
    half_blocks,
    qr_lines,
    target_problem,
)
from tests.unit.test_content import ContentCopy, en, expect_only

__all__ = ["en"]  # the fixture, imported so that pytest finds it here

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "target",
    [
        "tel:988",
        "tel:+14256290433",
        "sms:988",
        "sms:+18006624357",
        "https://findtreatment.gov/",
        "https://988lifeline.org/help-yourself/",
        "https://www.samhsa.gov/find-help/988?lang=es",
    ],
)
def test_help_line_targets_are_accepted(target: str) -> None:
    assert target_problem(target) is None
    assert qr_lines(target).target == target


@pytest.mark.parametrize(
    ("target", "phrase"),
    [
        ("988", "must start with tel:"),
        ("tel:(425) 629-0433", "digits only"),
        ("tel:425-629-0433", "digits only"),
        ("tel:", "digits only"),
        ("sms:988?body=hello", "digits only"),
        ("http://findtreatment.gov/", "must start with tel:"),
        ("mailto:help@example.org", "must start with tel:"),
        ("javascript:alert(1)", "must start with tel:"),
        ("https://findtreatment.gov/a page", "no spaces"),
        ('https://findtreatment.gov/"x"', "no spaces or quotes"),
        ("https://user:secret@findtreatment.gov/", "user name"),
        ("https://findtreatment.gov:8443/", "port"),
        ("https://localhost/", "public web site"),
        ("https://192.168.1.10/", "public web site"),
        ("https://FindTreatment.gov/", "lower case"),
        ("https://" + "a" * 40 + ".gov/", "too big to scan"),
    ],
)
def test_other_targets_are_refused_in_words_for_staff(target: str, phrase: str) -> None:
    problem = target_problem(target)
    assert problem is not None and phrase in problem
    with pytest.raises(ValueError, match="not a help-line QR target"):
        qr_lines(target)


def test_no_text_but_a_target_can_become_a_code() -> None:
    """What a visitor could have answered or been told is never drawn."""
    for text in ["Talk to medical staff first", "yes", "withdrawal=yes", "You said yes"]:
        with pytest.raises(ValueError):
            qr_lines(text)


def _modules(lines: tuple[str, ...]) -> list[list[bool]]:
    """The half-block drawing read back as rows of modules (True = dark)."""
    top = {" ": False, "▀": True, "▄": False, "█": True}
    bottom = {" ": False, "▀": False, "▄": True, "█": True}
    rows: list[list[bool]] = []
    for line in lines:
        rows.append([top[c] for c in line])
        rows.append([bottom[c] for c in line])
    return rows


@pytest.mark.parametrize(
    "target", ["tel:988", "tel:+14256290433", "https://findtreatment.gov/", "sms:988"]
)
def test_drawing_is_segnos_matrix_with_a_quiet_zone_of_four(target: str) -> None:
    drawing = qr_lines(target)
    assert set("".join(drawing.lines)) <= set(" ▀▄█")
    modules = _modules(drawing.lines)
    size = drawing.modules
    assert all(len(row) == size for row in modules)
    # The odd last module row is drawn with a light half below it.
    assert len(modules) == size + 1 and not any(modules[-1])
    code = segno.make_qr(target, error="L", boost_error=True)
    assert size == 17 + 4 * code.version + 2 * QUIET_ZONE
    expected = [[bool(m) for m in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    assert modules[:size] == expected
    # Four light modules on every side.
    for row in modules[:QUIET_ZONE] + modules[size - QUIET_ZONE :]:
        assert not any(row)
    for row in modules:
        assert not any(row[:QUIET_ZONE]) and not any(row[-QUIET_ZONE:])
    # The finder pattern's corner is dark, just inside the quiet zone.
    assert modules[QUIET_ZONE][QUIET_ZONE]


def test_longest_target_fits_the_largest_drawing() -> None:
    drawing = qr_lines("https://" + "a" * (MAX_TARGET_LENGTH - 13) + ".gov/")
    assert drawing.version <= 3
    assert drawing.width <= MAX_DRAWING_WIDTH and drawing.height <= MAX_DRAWING_HEIGHT


def test_half_blocks_pair_rows() -> None:
    assert half_blocks([[True, False, True, False], [True, True, False, False]]) == ["█▄▀ "]
    assert half_blocks([[True, False]]) == ["▀ "]


def test_qr_module_imports_no_textual_and_no_segno_until_a_code_is_drawn() -> None:
    """Pure logic, and cheap at start-up: segno takes about 28 ms to import."""
    code = "import sys, kiosk.rules.qr; print('textual' in sys.modules, 'segno' in sys.modules)"
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert printed == ["False", "False"]


# -- help.yaml: staff write the targets -------------------------------------------------------


def test_a_bad_target_in_help_yaml_is_a_file_line_message(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml", '        target: "sms:988"', '        target: "sms:988 (text us)"'
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "more_lines", "'sms:988 (text us)'")


def test_a_web_page_that_is_not_https_is_refused(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml",
        '        target: "https://findtreatment.gov/"',
        '        target: "http://findtreatment.gov/"',
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "must start with tel:")


def test_a_bad_clinic_target_is_reported_on_its_line(en: ContentCopy) -> None:
    line = en.replace_line(
        "help.yaml", '    target: "tel:+14256290433"', '    target: "tel:(425) 629-0433"'
    )
    expect_only(en.problems(), en.file("help.yaml"), line, "clinic_qr", "digits only")


def test_kiosk_validate_refuses_a_bad_target(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    help_file = content / "es" / "help.yaml"
    text = help_file.read_text(encoding="utf-8")
    help_file.write_text(text.replace('"tel:988"', '"ftp://988"'), encoding="utf-8")
    line = text.splitlines().index('        target: "tel:988"') + 1
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "validate", str(content)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 1
    assert f"{help_file}:{line}: " in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr

"""Limits on what staff can save: each a clear ``file:line`` message, never a frozen kiosk.

Found by trying: a 5 MB ``ui.yaml`` of 80,000 unknown keys printed 80,055 lines and froze a
running kiosk for 14 s; a valid 5 MB ``welcome_intro`` went live and pushed every button off the
screen; YAML nested 500 deep ended in a RecursionError; a ``pin_hash`` asking for a huge scrypt
cost passed validation and failed only when staff typed a PIN.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, load_settings
from kiosk.content import yamlsource
from kiosk.content.model import MAX_TEXT_LENGTH, ContentError, load_library
from kiosk.content.validation import MAX_PROBLEMS_PER_FILE
from kiosk.rules.pin import PinError, check_pin_hash, hash_pin


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        load_library(folder)
    return [str(problem) for problem in raised.value.problems]


def test_a_file_of_megabytes_is_one_message(site: Path) -> None:
    ui = site / "content/en/ui.yaml"
    junk = "".join(f"key_{n}: value\n" for n in range(80_000))
    ui.write_text(ui.read_text(encoding="utf-8") + junk, encoding="utf-8")
    started = time.monotonic()
    problems = problems_of(site / "content")
    assert time.monotonic() - started < 5  # not the 14 s freeze (a generous bound: CI is slow)
    ours = [problem for problem in problems if "/en/ui.yaml" in problem]
    assert len(ours) == 1
    assert ours[0].endswith(
        f"more than the {yamlsource.MAX_FILE_BYTES:,} a YAML file may have: is it the right file?"
    )


def test_many_mistakes_in_one_file_stop_at_a_hundred(site: Path) -> None:
    ui = site / "content/en/ui.yaml"
    junk = "".join(f"key_{n}: value\n" for n in range(500))  # small, but 500 unknown keys
    ui.write_text(ui.read_text(encoding="utf-8") + junk, encoding="utf-8")
    ours = [problem for problem in problems_of(site / "content") if "/en/ui.yaml" in problem]
    assert len(ours) == MAX_PROBLEMS_PER_FILE + 1
    assert ours[-1].endswith(
        f"… and more mistakes after these {MAX_PROBLEMS_PER_FILE}: fix these first"
    )


def test_validate_prints_at_most_a_hundred_problems(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for language in ("en", "es"):
        for name in ("ui", "learn", "compare"):
            path = site / f"content/{language}/{name}.yaml"
            junk = "".join(f"key_{n}: value\n" for n in range(200))
            path.write_text(path.read_text(encoding="utf-8") + junk, encoding="utf-8")
    assert main(["--config", str(site / "kiosk.toml"), "validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 101
    assert err[-1].startswith("… and ") and err[-1].endswith(
        "more problem(s): fix the ones above first"
    )


def test_a_text_too_long_for_the_screen(site: Path) -> None:
    ui = site / "content/en/ui.yaml"
    text = ui.read_text(encoding="utf-8")
    start = text.index("welcome_intro:")
    end = text.index("\n", start)
    line = text[:start].count("\n") + 1
    ui.write_text(
        text[:start] + "welcome_intro: " + "Words. " * 2000 + text[end:], encoding="utf-8"
    )
    expected = (
        f"{ui}:{line}: welcome_intro is too long to fit on screen: keep it to "
        f"{MAX_TEXT_LENGTH} characters or fewer (it has 14,"
    )
    (problem,) = problems_of(site / "content")
    assert problem.startswith(expected)


@pytest.mark.parametrize("brackets", ["[" * 600 + "]" * 600, "{a: " * 600 + "}" * 600])
def test_nesting_hundreds_deep_is_a_message_at_its_line(site: Path, brackets: str) -> None:
    help_file = site / "content/en/help.yaml"
    help_file.write_text(f"# help\nclinic_name: {brackets}\n", encoding="utf-8")
    assert (
        f"{help_file}:2: blocks and lists are nested more than {yamlsource.MAX_DEPTH} deep here: "
        "check the indentation and the brackets"
    ) in problems_of(site / "content")


def test_indented_nesting_hundreds_deep(site: Path) -> None:
    help_file = site / "content/en/help.yaml"
    help_file.write_text("".join("  " * n + "a:\n" for n in range(500)), encoding="utf-8")
    (problem,) = [p for p in problems_of(site / "content") if "/en/help.yaml" in p]
    assert problem == (
        f"{help_file}:{yamlsource.MAX_DEPTH + 1}: blocks and lists are nested more than "
        f"{yamlsource.MAX_DEPTH} deep here: check the indentation and the brackets"
    )


def pin_hash_with(
    n: int, r: int, p: int, salt: bytes = b"s" * 16, digest: bytes = b"d" * 32
) -> str:
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


@pytest.mark.parametrize(
    ("n", "r", "p"),
    [
        (2**20, 8, 1),
        (2**14, 64, 1),
        (2**14, 8, 16),
        (2**14 + 1, 8, 1),
        (2**4, 8, 1),
        (2**16, 16, 1),
    ],
)
def test_pin_hash_with_costs_out_of_range_is_refused_at_validation(n: int, r: int, p: int) -> None:
    with pytest.raises(PinError, match="scrypt costs the kiosk does not allow"):
        check_pin_hash(pin_hash_with(n, r, p))


def test_pin_hash_out_of_range_is_a_line_in_kiosk_toml(site: Path) -> None:
    config = site / "kiosk.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('pin_hash = ""', f'pin_hash = "{pin_hash_with(2**24, 8, 1)}"'))
    line = text[: text.index("pin_hash")].count("\n") + 1
    with pytest.raises(ConfigError) as raised:
        load_settings(config)
    (problem,) = raised.value.problems
    assert problem.line == line and "scrypt costs the kiosk does not allow" in problem.message


def test_pin_hash_with_a_short_salt_is_damaged() -> None:
    with pytest.raises(PinError, match="damaged"):
        check_pin_hash(pin_hash_with(2**14, 8, 1, salt=b"short"))


def test_the_kiosks_own_hash_passes() -> None:
    check_pin_hash(hash_pin("246813"))


@pytest.mark.parametrize("pin", ["1234", "12345", "12a456", "1234567890123"])
def test_new_pins_have_six_to_twelve_digits(pin: str) -> None:
    with pytest.raises(PinError, match="6 to 12 digits"):
        hash_pin(pin)

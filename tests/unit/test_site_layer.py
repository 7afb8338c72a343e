"""The site layer: one shared content folder, a small site file per lobby.

Each test writes or edits a site file as head office staff would and checks what the lobby
shows, and what ``kiosk validate`` says, line by line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.cache import load_and_cache
from kiosk.content.loading import load_site
from kiosk.content.model import ContentError, load_library
from kiosk.content.site_layer import site_names
from tests.conftest import CONTENT_DIR

#: The example group shipped in content/sites/: each lobby and its own phone number.
EXAMPLE_PHONES = {
    "northgate": "(206) 555-0134",
    "eastpark": "(425) 555-0172",
    "riverside": "(360) 555-0118",
}


def _with_site(site: Path, name: str) -> Path:
    """``site``'s kiosk.toml, naming site ``name``."""
    config = site / "kiosk.toml"
    text = config.read_text()
    config.write_text(text.replace("[kiosk]\n", f'[kiosk]\nsite = "{name}"\n', 1))
    return config


def _write_site(site: Path, name: str, text: str) -> Path:
    file = site / "content" / "sites" / f"{name}.yaml"
    file.write_text(text)
    return file


def test_the_example_group_has_three_lobbies() -> None:
    assert site_names(CONTENT_DIR) == sorted(EXAMPLE_PHONES)


@pytest.mark.parametrize("name", sorted(EXAMPLE_PHONES))
def test_each_lobby_shows_its_own_phone_in_every_language(name: str) -> None:
    library = load_library(CONTENT_DIR, name)
    for content in library.languages.values():
        assert content.help.clinic_phone == EXAMPLE_PHONES[name]
        digits = "".join(ch for ch in EXAMPLE_PHONES[name] if ch.isdigit())
        # The clinic's QR code calls the lobby's number, not the shared one.
        assert [qr.target for qr in content.help.clinic_qr] == [f"tel:+1{digits}"]


def test_no_site_shows_the_shared_content() -> None:
    library = load_library(CONTENT_DIR)
    assert library.site == "" and library.default_language is None
    assert library.get("en").help.clinic_phone == "(425) 629-0433"
    assert "sites" not in library.languages  # the site files' folder is not a language


def test_a_site_chooses_languages_their_order_and_the_default(site: Path) -> None:
    loaded = load_site(_with_site(site, "eastpark"))
    assert loaded.ok, loaded.problems
    assert loaded.library is not None and loaded.settings is not None
    assert list(loaded.library.languages) == ["es", "en"]
    assert loaded.settings.kiosk.default_language == "es"  # over kiosk.toml's "en"
    riverside = load_library(site / "content", "riverside")
    assert list(riverside.languages) == ["en"]


def test_hours_per_language(site: Path) -> None:
    library = load_library(site / "content", "northgate")
    assert library.get("en").help.clinic_hours == "8 am to 8 pm, Mon–Sat"
    assert library.get("es").help.clinic_hours == "8 a. m. a 8 p. m., lun. a sáb."


def test_validate_says_which_shared_text_each_override_replaces(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(_with_site(site, "northgate")), "validate"]) == 0
    out = capsys.readouterr().out
    assert "Site 'northgate': languages en, es, ru, vi, zh-Hans; 36 shared text(s) replaced:" in out
    assert "sites/northgate.yaml:7: clinic.phone (en) replaces " in out
    assert 'en/help.yaml:4 "(425) 629-0433"' in out
    assert "sites/northgate.yaml:19: help.clinic_detail (en) replaces " in out
    assert "WARNING" not in out
    assert "Also checked with the site files of: eastpark, riverside (all OK)." in out


def test_validate_warns_when_the_shared_text_changed_since_the_override(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    help_file = site / "content" / "en" / "help.yaml"
    old = "Talk to an addiction specialist about treatment, insurance, or how to get started."
    help_file.write_text(help_file.read_text().replace(old, "Talk to a specialist about care."))
    assert main(["--config", str(_with_site(site, "northgate")), "validate"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "help.clinic_detail" in line)
    assert '"Talk to a specialist about care."' in line
    assert "WARNING: that shared text changed since this override was written" in line


@pytest.mark.parametrize(
    ("site_text", "line", "message"),
    [
        (
            "name: X\noverrides:\n  en:\n    learn.sections.no-such-section.body:\n"
            "      text: Hello\n",
            4,
            "learn.sections.no-such-section.body (en): no item 'no-such-section' in sections "
            "(it has: understanding_iop, other_options",
        ),
        (
            "name: X\noverrides:\n  en:\n    help.clinic_phone_number:\n      text: Hello\n",
            4,
            "help.clinic_phone_number (en): 'clinic_phone_number' is not in the file (it has: ",
        ),
        (
            "name: X\noverrides:\n  en:\n    clinic_phone:\n      text: Hello\n",
            4,
            "'clinic_phone' is not the place of a text: start with the file",
        ),
        (
            "name: X\noverrides:\n  en:\n    help.more_lines:\n      text: Hello\n",
            4,
            "help.more_lines (en) in en/help.yaml is not a text",
        ),
        ("name: X\nclinic:\n  phone_link: 206-555-0134\n", 3, "phone_link"),
        ("name: X\nclinik:\n  name: Y\n", 2, "clinik"),
        ("name: X\nlanguages: [en, xx]\n", 2, "language 'xx' has no folder in the content"),
        ("name: X\ndefault_language: xx\n", 2, "default_language 'xx' is not one of"),
    ],
)
def test_mistakes_in_a_site_file_point_at_its_line(
    site: Path, site_text: str, line: int, message: str
) -> None:
    file = _write_site(site, "lobby", site_text)
    with pytest.raises(ContentError) as raised:
        load_library(site / "content", "lobby")
    found = [str(problem) for problem in raised.value.problems]
    assert any(p.startswith(f"{file}:{line}: ") and message in p for p in found), found


@pytest.mark.parametrize(
    ("place", "text", "message"),
    [
        # A placeholder the bar may not use: refused as it would be in help.yaml itself.
        ("help.bar", "Call {number}", "{number}"),
        # Too long for its field: the same limit as the shared text's.
        ("help.clinic_detail", "Talk to us. " * 100, "too long to fit on screen"),
    ],
    ids=["a placeholder", "too long"],
)
def test_a_site_text_passes_the_same_checks_as_a_shared_one_and_is_told_at_its_line(
    site: Path, place: str, text: str, message: str
) -> None:
    # Reported where staff wrote it (the site file's line 4), not at the shared text it
    # replaced: the shared file has no mistake, and staff would look there in vain.
    file = _write_site(
        site, "lobby", f"name: X\noverrides:\n  en:\n    {place}:\n      text: {text}\n"
    )
    with pytest.raises(ContentError) as raised:
        load_library(site / "content", "lobby")
    found = [str(problem) for problem in raised.value.problems if message in str(problem)]
    assert found and all(problem.startswith(f"{file}:4: ") for problem in found), found


def test_a_site_kiosk_toml_names_that_does_not_exist(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(_with_site(site, "downtown")), "validate"]) == 1
    err = capsys.readouterr().err
    assert "sites/downtown.yaml:1: site file not found: kiosk.toml names site 'downtown' " in err
    assert "(there are: eastpark, northgate, riverside)" in err


def test_one_broken_site_file_refuses_the_commit_for_every_lobby(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The content is shared: a commit that breaks Riverside must not go live at Northgate.
    _write_site(site, "riverside", "name: Riverside\nlanguages: [fr]\n")
    assert main(["--config", str(_with_site(site, "northgate")), "validate"]) == 1
    assert "riverside.yaml:2: language 'fr' has no folder" in capsys.readouterr().err


def test_the_cache_keeps_each_site_apart(site: Path) -> None:
    folder = site / "content"
    north = load_and_cache(folder, save=True, site="northgate")
    cached = load_and_cache(folder, use_cache=True, save=False, site="northgate")
    assert cached.get("en").help.clinic_phone == north.get("en").help.clinic_phone
    # Another site (or none) never gets Northgate's cached texts.
    east = load_and_cache(folder, use_cache=True, save=False, site="eastpark")
    assert east.get("en").help.clinic_phone == EXAMPLE_PHONES["eastpark"]
    assert east.default_language == "es"
    plain = load_and_cache(folder, use_cache=True, save=False)
    assert plain.get("en").help.clinic_phone == "(425) 629-0433"
    # A saved site file makes the cached copy stale.
    north_file = folder / "sites" / "northgate.yaml"
    north_file.write_text(north_file.read_text().replace("555-0134", "555-0199"))
    again = load_and_cache(folder, use_cache=True, save=False, site="northgate")
    assert again.get("en").help.clinic_phone == "(206) 555-0199"

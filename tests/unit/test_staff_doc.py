"""docs/staff.md: its "Every field" part is generated from the code and must stay in step."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from kiosk.config import Settings
from kiosk.content.model import FILES
from kiosk.content.validation import staff_fields
from kiosk.tools import staffdoc

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "staff.md"


def test_generated_part_is_up_to_date() -> None:
    document = GUIDE.read_text(encoding="utf-8")
    assert staffdoc.generated_part(document) == staffdoc.render_fields(), (
        "docs/staff.md's generated part ('Every field of the content files') differs from the "
        f"content models and settings in the code. Regenerate it with: {staffdoc.REGENERATE}"
    )


def _models(model: type[msgspec.Struct]) -> list[type[msgspec.Struct]]:
    """``model`` and every model nested in it."""
    found = [model]
    for info in msgspec.structs.fields(model):
        for path_model in staffdoc.describe(info.type, "x").nested:
            found.extend(_models(path_model[1]))
    return found


@pytest.mark.parametrize("file_name", list(FILES))
def test_every_content_field_is_documented(file_name: str) -> None:
    generated = staffdoc.render_fields()
    for model in _models(FILES[file_name]):
        for info in msgspec.structs.fields(model):
            assert f"- **`{info.name}`**:" in generated, f"{model.__name__}.{info.name} is missing"
            description = staffdoc.description(info.type)
            assert description, f"{model.__name__}.{info.name} has no description"
            assert description in generated


def test_every_setting_is_documented() -> None:
    generated = staffdoc.render_fields()
    tables = list(staff_fields(Settings))
    for table in msgspec.structs.fields(Settings):
        if table not in tables:
            assert f"`{table.name}`" not in generated  # base_dir is internal
            continue
        assert f"#### `[{table.name}]`" in generated
        assert isinstance(table.type, type)
        assert issubclass(table.type, msgspec.Struct)
        for info in msgspec.structs.fields(table.type):
            assert f"- **`{info.name}`**:" in generated
    assert [table.name for table in tables] == ["kiosk", "staff", "speech", "serve", "screen"]


def test_limits_and_types_are_in_plain_words() -> None:
    generated = staffdoc.render_fields()
    assert "- **`title`**: text, **required**, at most 16 characters. The tab's label" in generated
    assert "- **`mark`**: one of `yes`, `no`, `partly`, `info`, `depends`, **required**." in (
        generated
    )
    assert "- **`idle_seconds`**: a whole number, optional (default: `120`), from 10 to 3600" in (
        generated
    )
    assert "- **`id`**: an id (lower-case letters, digits and `_`" in generated
    assert "may use `{number}` and `{total}`" in generated


def test_splice_replaces_only_the_generated_part() -> None:
    document = f"# Guide\n\nBy hand.\n\n{staffdoc.BEGIN}\nold\n{staffdoc.END}\n\nAfter.\n"
    updated = staffdoc.splice(document, "new\n")
    assert updated == f"# Guide\n\nBy hand.\n\n{staffdoc.BEGIN}\nnew\n{staffdoc.END}\n\nAfter.\n"
    assert staffdoc.generated_part(updated) == "new\n"
    with pytest.raises(ValueError, match="markers"):
        staffdoc.splice("no markers here", "new")


def test_check_mode_reports_an_outdated_guide(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guide = tmp_path / "staff.md"
    guide.write_text(f"Intro\n{staffdoc.BEGIN}\nstale\n{staffdoc.END}\n", encoding="utf-8")
    assert staffdoc.main([str(guide), "--check"]) == 1
    assert "make docs" in capsys.readouterr().err
    assert staffdoc.main([str(guide)]) == 0
    assert staffdoc.main([str(guide), "--check"]) == 0
    assert guide.read_text(encoding="utf-8").startswith("Intro\n")
